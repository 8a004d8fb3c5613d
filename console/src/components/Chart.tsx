import { useEffect, useRef } from 'react';
import { echarts, type ChartClick, type ChartOption } from './echarts';

export type { ChartClick, ChartOption };

export interface ChartProps {
  option: ChartOption;
  /** CSS height; the width follows the container. */
  height?: number | string;
  /** A label for screen readers: what the chart shows. */
  ariaLabel: string;
  onClick?: (event: ChartClick) => void;
}

/**
 * HTML tooltips would write style="" attributes into innerHTML, which the CSP (no inline
 * styles) blocks; canvas-drawn (richText) tooltips need no inline style.
 */
export function cspSafe(option: ChartOption): ChartOption {
  const fix = (t: unknown) => (t && typeof t === 'object' && !('renderMode' in t) ? { ...t, renderMode: 'richText' } : t);
  const tooltip = option.tooltip;
  if (tooltip === undefined) return option;
  return { ...option, tooltip: Array.isArray(tooltip) ? tooltip.map(fix) : fix(tooltip) };
}

/** An ECharts chart that follows its container's size and is disposed with the component. */
export function Chart({ option, height = 320, ariaLabel, onClick }: ChartProps) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const click = useRef(onClick);
  click.current = onClick;

  useEffect(() => {
    const node = el.current;
    if (!node) return;
    const c = echarts.init(node, undefined, { renderer: 'canvas' });
    chart.current = c;
    c.on('click', (e) => click.current?.(e as ChartClick));
    const observer = new ResizeObserver(() => c.resize());
    observer.observe(node);
    return () => {
      observer.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(cspSafe(option), { notMerge: true });
  }, [option]);

  return <div ref={el} className="chart" style={{ height }} role="img" aria-label={ariaLabel} />;
}
