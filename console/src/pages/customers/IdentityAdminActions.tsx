import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useApiMutation } from '../../api/hooks';
import { Confirm } from '../../components/Confirm';
import { ErrorBox } from '../../components/ErrorBox';
import { pathTo } from '../../pages';
import { MergeCustomersMutation, NotSamePersonMutation, UnmergeMutation } from './customer360Queries';

type Pending = { kind: 'unmerge' } | { kind: 'notSame' } | { kind: 'merge'; other: string } | null;

/** Admin corrections of the identity: each through a confirmation with a reason. */
export function IdentityAdminActions({ customerId, picked, label, onDone }: { customerId: string; picked: readonly string[]; label(id: string): string; onDone(): void }) {
  const navigate = useNavigate();
  const [pending, setPending] = useState<Pending>(null);
  const [reason, setReason] = useState('');
  const [other, setOther] = useState('');
  const finish = () => {
    setPending(null);
    setReason('');
    onDone();
  };
  const unmerge = useApiMutation(UnmergeMutation, { onSuccess: finish });
  const notSame = useApiMutation(NotSamePersonMutation, { onSuccess: finish });
  const merge = useApiMutation(MergeCustomersMutation, {
    onSuccess: (r) => {
      finish();
      setOther('');
      // The merged customer keeps the id of the larger one, which may be the other.
      if (r.mergeCustomers.customerId !== customerId) void navigate(pathTo('customer', { id: r.mergeCustomers.customerId }));
    },
  });
  const busy = unmerge.isPending || notSame.isPending || merge.isPending;
  const error = unmerge.error ?? notSame.error ?? merge.error;
  // Every correction lasts through later ingests: the audit log must say why.
  const why = reason.trim();
  const confirm = () => {
    if (!pending || why === '') return;
    if (pending.kind === 'unmerge') unmerge.mutate({ records: [...picked], reason: why });
    else if (pending.kind === 'notSame' && picked[0] && picked[1]) notSame.mutate({ a: picked[0], b: picked[1], reason: why });
    else if (pending.kind === 'merge') merge.mutate({ ids: [customerId, pending.other], reason: why });
  };
  const names = picked.map(label).join(', ');

  return (
    <div className="admin-actions" data-testid="identity-admin">
      <h3>Correct the identity (admin)</h3>
      <div className="button-row">
        <button type="button" data-testid="action-unmerge" disabled={picked.length === 0} onClick={() => setPending({ kind: 'unmerge' })}>
          Unmerge picked records
        </button>
        <button type="button" data-testid="action-not-same" disabled={picked.length !== 2} onClick={() => setPending({ kind: 'notSame' })}>
          Not the same person
        </button>
      </div>
      <form
        className="button-row"
        onSubmit={(e) => {
          e.preventDefault();
          if (other.trim()) setPending({ kind: 'merge', other: other.trim() });
        }}
      >
        <input data-testid="merge-other" placeholder="Other customer id (cus_…)" value={other} onChange={(e) => setOther(e.target.value)} />
        <button type="submit" data-testid="action-merge" disabled={!other.trim() || other.trim() === customerId}>
          Merge with…
        </button>
      </form>
      {error ? <ErrorBox error={error} title="The correction was refused" /> : null}
      <Confirm
        open={pending !== null}
        title={pending?.kind === 'unmerge' ? 'Unmerge records' : pending?.kind === 'notSame' ? 'Not the same person' : 'Merge customers'}
        confirmLabel={pending?.kind === 'merge' ? 'Merge' : pending?.kind === 'unmerge' ? 'Unmerge' : 'Keep apart'}
        danger
        busy={busy}
        canConfirm={why !== ''}
        onConfirm={confirm}
        onCancel={() => setPending(null)}
      >
        <p>
          {pending?.kind === 'unmerge'
            ? `Move ${names} out of ${customerId} into a customer of their own. The decision is kept and survives later ingests.`
            : pending?.kind === 'notSame'
              ? `Record that ${names} are different people; ${customerId} is split if they are in it. The decision is kept for good.`
              : pending?.kind === 'merge'
                ? `Declare ${customerId} and ${pending.other} the same person. The result keeps the id of the larger customer.`
                : ''}
        </p>
        <label className="field">
          Reason, required (kept in the audit log)
          <textarea data-testid="action-reason" value={reason} onChange={(e) => setReason(e.target.value)} rows={2} required aria-required="true" />
        </label>
      </Confirm>
    </div>
  );
}
