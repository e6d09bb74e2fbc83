/** A fixed-height box for one chart (chart.js needs a sized parent). */
import React from 'react';

export function ChartCard({ id, children }: { id: string; children: React.ReactNode }) {
  return (
    <div className="jp-QFlow-chart" data-chart={id}>
      {children}
    </div>
  );
}
