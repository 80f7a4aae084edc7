/** A trend as a small inline SVG line: the values scaled between their own minimum and maximum. */
export function Sparkline({ values, label, width = 120, height = 28 }: { values: readonly number[]; label: string; width?: number; height?: number }) {
  if (values.length < 2) {
    return <svg className="sparkline" data-testid="sparkline" data-points={values.length} role="img" aria-label={`${label}: sem histórico`} width={width} height={height} />;
  }
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  const step = width / (values.length - 1);
  const points = values.map((value, i) => `${(i * step).toFixed(1)},${(height - 2 - ((value - min) / span) * (height - 4)).toFixed(1)}`).join(' ');
  return (
    <svg className="sparkline" data-testid="sparkline" data-points={values.length} role="img" aria-label={`${label}: de ${min} a ${max} na última hora`} width={width} height={height} viewBox={`0 0 ${width} ${height}`}>
      <polyline points={points} fill="none" stroke="currentColor" strokeWidth="1.5" />
    </svg>
  );
}
