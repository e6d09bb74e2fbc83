/** A fixed-height box for one chart (chart.js needs a sized parent). */
import React from 'react';

export function ChartCard({
  id,
  source,
  children
}: {
  id: string;
  /** Where the chart's data came from (`output`, `preview`), for tests and debugging. */
  source?: string;
  children: React.ReactNode;
}) {
  return (
    <div className="jp-QFlow-chart" data-chart={id} data-source={source}>
      {children}
    </div>
  );
}
