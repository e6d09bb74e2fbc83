/** Counts as a small bar table of the most frequent outcomes (text, no canvas). */
import React from 'react';

const SHOWN = 8;

export function CountsBars({ counts }: { counts: Record<string, number> }) {
  const entries = Object.entries(counts).sort(
    (a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)
  );
  const total = entries.reduce((s, [, n]) => s + n, 0) || 1;
  const max = entries[0]?.[1] || 1;
  return (
    <table className="jp-QFlow-counts" aria-label="Counts">
      {entries.length > SHOWN && (
        <caption>
          {SHOWN} of {entries.length} outcomes shown
        </caption>
      )}
      <tbody>
        {entries.slice(0, SHOWN).map(([bits, n]) => (
          <tr key={bits}>
            <td>
              <code>{bits}</code>
            </td>
            <td className="jp-QFlow-bar-cell">
              <span className="jp-QFlow-bar" style={{ width: `${(100 * n) / max}%` }} />
            </td>
            <td>
              {n} ({Math.round((100 * n) / total)}%)
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
