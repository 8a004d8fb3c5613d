import { Badge, type Tone } from '../../components/Badge';
import type { ChurnBand } from '../../gql/graphql';
import { formatPercent } from '../../lib/format';

const TONE: Record<ChurnBand, Tone> = { LOW: 'good', MEDIUM: 'info', HIGH: 'warn', CRITICAL: 'bad' };

export function ChurnBadge({ band, risk }: { band: ChurnBand | null | undefined; risk?: number | null | undefined }) {
  if (!band) return <span className="muted">not scored</span>;
  return (
    <Badge tone={TONE[band]} title={risk !== null && risk !== undefined ? `churn risk ${formatPercent(risk)}` : undefined}>
      {band.toLowerCase()}
    </Badge>
  );
}
