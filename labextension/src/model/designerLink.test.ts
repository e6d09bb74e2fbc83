import { describe, expect, it } from 'vitest';
import { DesignerLinkData, locateFile, serverPath, shouldOpen } from './designerLink';

describe('serverPath', () => {
  it('is the path under the server root', () => {
    expect(serverPath('/home/u/work/nb/flow.qflow', '/home/u/work', '/home/u')).toBe(
      'nb/flow.qflow'
    );
    expect(serverPath('/home/u/work/flow.qflow', '/home/u/work/', '/home/u')).toBe(
      'flow.qflow'
    );
  });
  it('expands a root given from the home directory', () => {
    expect(serverPath('/home/u/a/f.qflow', '~/a', '/home/u')).toBe('f.qflow');
    expect(serverPath('/home/u/f.qflow', '~', '/home/u')).toBe('f.qflow');
  });
  it('is null outside the root, also for a sibling with the same prefix', () => {
    expect(serverPath('/tmp/f.qflow', '/home/u', '/home/u')).toBeNull();
    expect(serverPath('/home/u2/f.qflow', '/home/u', '/home/u')).toBeNull();
  });
  it('takes the whole file system under root /', () => {
    expect(serverPath('/tmp/f.qflow', '/', '/root')).toBe('tmp/f.qflow');
  });
});

describe('shouldOpen', () => {
  const data: DesignerLinkData = {
    path: '/x/f.qflow',
    relative: 'f.qflow',
    home: '/x',
    name: 'f',
    tasks: 1,
    written: true,
    id: 'abc',
    created: 1000
  };
  it('opens a fresh output once', () => {
    const opened = new Set<string>();
    expect(shouldOpen(data, opened, 1002)).toBe(true);
    opened.add('abc');
    expect(shouldOpen(data, opened, 1002)).toBe(false);
  });
  it('does not open an output reloaded with a saved notebook', () => {
    expect(shouldOpen(data, new Set(), 1000 + 3600)).toBe(false);
  });
});

describe('locateFile', () => {
  const data: DesignerLinkData = {
    path: '/data/work/nb/flow.qflow',
    relative: 'flow.qflow',
    home: '/home/u',
    name: 'flow',
    tasks: 1,
    written: true,
    id: 'x',
    created: 0
  };
  it('prefers the path under the server root', () => {
    expect(locateFile(data, '/data/work', 'elsewhere/a.ipynb')).toBe('nb/flow.qflow');
  });
  it('falls back to the notebook folder when the root is another spelling', () => {
    // root /home/u/work is a symlink to /data/work: the kernel sees the real path
    expect(locateFile(data, '/home/u/work', 'nb/a.ipynb')).toBe('nb/flow.qflow');
    expect(locateFile(data, '/home/u/work', 'a.ipynb')).toBe('flow.qflow');
  });
  it('is null when neither is known', () => {
    expect(locateFile(data, '/home/u/work', null)).toBeNull();
    expect(
      locateFile({ ...data, relative: null }, '/home/u/work', 'a.ipynb')
    ).toBeNull();
  });
});
