import { useState } from 'react';
import { useApiMutation } from '../../api/hooks';
import { Confirm } from '../../components/Confirm';
import { ErrorBox } from '../../components/ErrorBox';
import { formatCount } from '../../lib/format';
import { PlanActionsMutation } from './queries';
import { Select, TextInput } from './Select';

/** Plans each member's best allowed action (or one chosen action) and shows what came of it. */
export function PlanActions({ segmentId, memberCount, actions }: { segmentId: string; memberCount: number; actions: readonly string[] }) {
  const [action, setAction] = useState('');
  const [campaign, setCampaign] = useState('');
  const [asking, setAsking] = useState(false);
  const plan = useApiMutation(PlanActionsMutation, { onSettled: () => setAsking(false) });
  const result = plan.data?.planActions;
  return (
    <div className="panel" data-testid="plan-actions">
      <p className="lead">Consent and contact limits apply: members who may not be contacted now are counted as suppressed.</p>
      <div className="seg-fields">
        <Select label="Action" value={action} values={actions} any="best action per member (playbook)" onChange={setAction} testId="plan-action" />
        <TextInput label="Campaign" value={campaign} onChange={setCampaign} placeholder="optional, e.g. spring-winback" testId="plan-campaign" />
        <button type="button" className="primary" onClick={() => setAsking(true)} disabled={plan.isPending} data-testid="plan-submit">
          Plan actions
        </button>
      </div>
      {plan.error ? <ErrorBox error={plan.error} title="Not planned" /> : null}
      {result ? (
        <dl className="stats" data-testid="plan-result">
          <div>
            <dt>Members</dt>
            <dd>{formatCount(result.customers)}</dd>
          </div>
          <div>
            <dt>Planned</dt>
            <dd data-testid="plan-planned">{formatCount(result.planned)}</dd>
          </div>
          <div>
            <dt>Suppressed</dt>
            <dd>{formatCount(result.suppressed)}</dd>
          </div>
          <div>
            <dt>No rule matched</dt>
            <dd>{formatCount(result.noAction)}</dd>
          </div>
        </dl>
      ) : null}
      <Confirm
        open={asking}
        title="Plan actions"
        confirmLabel="Plan"
        busy={plan.isPending}
        onCancel={() => setAsking(false)}
        onConfirm={() => plan.mutate({ segment: segmentId, action: action || null, campaign: campaign.trim() || null })}
      >
        <p>
          Plan {action ? <strong>{action}</strong> : 'the best allowed action'} for the {formatCount(memberCount)} members
          {campaign.trim() ? ` in campaign ${campaign.trim()}` : ''}? Planned actions appear on each customer's page.
        </p>
      </Confirm>
    </div>
  );
}
