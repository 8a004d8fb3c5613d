import { useCallback, useState } from 'react';
import { useSignedIn } from '../../auth/SessionContext';
import { param } from '../../lib/url';
import { useUrlState } from '../../lib/useUrlState';
import { FlaggedIdentifiers } from './FlaggedIdentifiers';
import { MatchModelView } from './MatchModelView';
import { ReviewQueue } from './ReviewQueue';

const TABS = ['queue', 'flagged', 'model'] as const;
type Tab = (typeof TABS)[number];
const LABELS: Record<Tab, string> = { queue: 'Review queue', flagged: 'Flagged identifiers', model: 'Match model' };
const SPEC = { tab: param.oneOf(TABS, 'queue') };

export default function IdentityPage() {
  const { viewer } = useSignedIn();
  const { values, set, cursor, goNext, goPrevious } = useUrlState(SPEC);
  // Each tab says when its main data has rendered (or failed): the page is ready for that tab.
  const [readyTab, setReadyTab] = useState<Tab | null>(null);
  const tab = values.tab;
  const onReady = useCallback(() => setReadyTab(tab), [tab]);
  const paging = { after: cursor.after, pageIndex: cursor.pageIndex, onNext: goNext, onPrevious: goPrevious, onReady };
  return (
    <section className="page" data-testid="page-identity" data-ready={readyTab === tab}>
      <h1>Identity review</h1>
      <nav className="tabs" aria-label="Identity views">
        {TABS.map((t) => (
          <button key={t} type="button" className={tab === t ? 'tab on' : 'tab'} aria-pressed={tab === t} onClick={() => set({ tab: t })} data-testid={`tab-${t}`}>
            {LABELS[t]}
          </button>
        ))}
      </nav>
      {tab === 'queue' ? <ReviewQueue canDecide={viewer.role === 'ADMIN'} {...paging} /> : null}
      {tab === 'flagged' ? <FlaggedIdentifiers {...paging} /> : null}
      {tab === 'model' ? <MatchModelView onReady={onReady} /> : null}
    </section>
  );
}
