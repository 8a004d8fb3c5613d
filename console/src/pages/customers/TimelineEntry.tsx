import { Badge } from '../../components/Badge';
import { formatDateTime, formatMoney, formatNumber } from '../../lib/format';
import { isComplaint, sentimentTone, type TimelineItem } from './timeline';
import { Withheld } from './Withheld';

function money(m: { amount: string; currency: string }): string {
  return formatMoney(Number(m.amount), m.currency);
}

export function TimelineEntry({ item }: { item: TimelineItem }) {
  const when = <time dateTime={item.at}>{formatDateTime(item.at)}</time>;
  if (item.kind === 'order') {
    const o = item.order;
    return (
      <li className="tl tl-order" data-kind="order">
        {when} <strong>Order</strong> {money(o.total)} <Badge>{o.status}</Badge> {o.channel ? <Badge tone="info">{o.channel}</Badge> : null}{' '}
        <span className="muted">
          {o.source}:{o.sourceId}
        </span>
        <ul className="order-lines">
          {o.items.map((line, i) => (
            <li key={i}>
              {line.quantity} × {line.product.name ?? line.product.sku} <code className="muted">{line.product.sku}</code>
              {line.product.category ? <span className="muted"> · {line.product.category}</span> : null} — {money(line.lineTotal)}
            </li>
          ))}
          {o.itemCount > o.items.length ? <li className="muted">… {o.itemCount - o.items.length} more lines</li> : null}
        </ul>
      </li>
    );
  }
  if (item.kind === 'feedback') {
    const f = item.feedback;
    const tone = sentimentTone(f);
    const complaint = isComplaint(f);
    return (
      <li className={`tl tl-feedback tone-${tone}`} data-kind="feedback" data-complaint={complaint ? 'true' : undefined}>
        {when} <strong>{f.kind}</strong> {complaint ? <Badge tone="bad">complaint</Badge> : null}
        {f.rating !== null && f.rating !== undefined ? <Badge>{f.kind === 'survey' ? `NPS ${f.rating}` : `${'★'.repeat(f.rating)}`}</Badge> : null}
        {f.sentiment ? (
          <Badge tone={tone === 'good' ? 'good' : tone === 'bad' ? 'bad' : 'neutral'} title={`language ${f.sentiment.language}`}>
            {f.sentiment.label} {formatNumber(f.sentiment.score)}
          </Badge>
        ) : null}
        {f.status ? <Badge tone={f.status === 'open' ? 'warn' : 'neutral'}>{f.status}</Badge> : null}
        <div className="tl-text">
          <Withheld value={f.text} nullLabel={f.sentiment ? '(text withheld)' : ''} />
        </div>
        {f.sentiment && f.sentiment.aspects.length ? (
          <div className="muted">
            {f.sentiment.aspects.map((a) => `${a.aspect}: ${a.label}`).join(' · ')}
          </div>
        ) : null}
      </li>
    );
  }
  const e = item.event;
  return (
    <li className="tl tl-event" data-kind="event">
      {when} <span>{e.type.replace(/_/g, ' ')}</span> {e.channel ? <Badge tone="info">{e.channel}</Badge> : null} {e.sku ? <code className="muted">{e.sku}</code> : null}{' '}
      {e.query ? (
        <span className="muted">
          “<Withheld value={e.query} />”
        </span>
      ) : null}
    </li>
  );
}
