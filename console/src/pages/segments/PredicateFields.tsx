// The inputs of one predicate, by kind, offering the vocabulary's values where there are any.
import { formatCount } from '../../lib/format';
import { labelsFor, profileFieldLabel, profileOpLabel, scoreFieldLabel } from './labels';
import { Select, TextInput } from './Select';
import { ValueChips } from './ValueChips';
import type { Predicate } from './tree';
import type { Vocabulary } from './vocabulary';

const YES_NO = ['yes', 'no'];

export function PredicateFields({ p, vocab, onChange }: { p: Predicate; vocab: Vocabulary; onChange(p: Predicate): void }) {
  switch (p.kind) {
    case 'churnBands':
      return <ValueChips label="Churn bands" values={vocab.churnBands} selected={p.values} onChange={(values) => onChange({ ...p, values })} />;
    case 'rfmSegments':
      return <ValueChips label="RFM segments" values={vocab.rfmSegments} selected={p.values} onChange={(values) => onChange({ ...p, values })} />;
    case 'profile': {
      const multi = p.op === 'in' || p.op === 'notIn';
      return (
        <>
          <Select label="Field" value={p.field} values={vocab.profileFields} labels={labelsFor([...vocab.profileFields, p.field], profileFieldLabel)} onChange={(field) => onChange({ ...p, field })} />
          <Select label="Operator" value={p.op} values={vocab.profileOps} labels={labelsFor([...vocab.profileOps, p.op], profileOpLabel)} onChange={(op) => onChange({ ...p, op })} />
          {p.field === 'source' ? (
            <ValueChips label="Sources" values={vocab.sources} selected={p.values} onChange={(values) => onChange({ ...p, values })} />
          ) : (
            <TextInput
              label={multi ? 'Values (comma-separated)' : 'Value'}
              value={p.values.join(',')}
              placeholder={p.field === 'country' ? 'CN' : ''}
              onChange={(v) => onChange({ ...p, values: multi ? v.split(',') : [v] })}
            />
          )}
        </>
      );
    }
    case 'age':
      return (
        <>
          <TextInput label="From age" numeric value={p.min} onChange={(min) => onChange({ ...p, min })} />
          <TextInput label="To age" numeric value={p.max} onChange={(max) => onChange({ ...p, max })} />
        </>
      );
    case 'identifier':
      return (
        <>
          <Select label="Has" value={p.present ? 'yes' : 'no'} values={YES_NO} labels={{ yes: 'has', no: 'lacks' }} onChange={(v) => onChange({ ...p, present: v === 'yes' })} />
          <Select label="Identifier type" value={p.type} values={vocab.identifierTypes} onChange={(type) => onChange({ ...p, type })} />
        </>
      );
    case 'consent':
      return (
        <>
          <Select label="Purpose" value={p.purpose} values={vocab.consentPurposes} onChange={(purpose) => onChange({ ...p, purpose })} />
          <Select label="Decision" value={p.granted ? 'yes' : 'no'} values={YES_NO} labels={{ yes: 'granted', no: 'not granted' }} onChange={(v) => onChange({ ...p, granted: v === 'yes' })} />
        </>
      );
    case 'score':
      return (
        <>
          <Select label="Score" value={p.field} values={vocab.scoreFields} labels={labelsFor([...vocab.scoreFields, p.field], (f) => scoreFieldLabel(f, vocab.currency))} onChange={(field) => onChange({ ...p, field })} />
          <TextInput label="Min" numeric value={p.min} onChange={(min) => onChange({ ...p, min })} />
          <TextInput label="Max" numeric value={p.max} onChange={(max) => onChange({ ...p, max })} />
        </>
      );
    case 'purchased':
      return (
        <>
          <Select label="Category" value={p.category} values={vocab.categories} any="any category" onChange={(category) => onChange({ ...p, category })} />
          <TextInput label="or SKU" value={p.sku} onChange={(sku) => onChange({ ...p, sku })} />
          <TextInput label="At least (times)" numeric value={p.minTimes} placeholder="1" onChange={(minTimes) => onChange({ ...p, minTimes })} />
          <TextInput label="Within days" numeric value={p.withinDays} placeholder="ever" onChange={(withinDays) => onChange({ ...p, withinDays })} />
        </>
      );
    case 'event':
      return (
        <>
          <Select label="Event type" value={p.type} values={vocab.eventTypes} onChange={(type) => onChange({ ...p, type })} />
          <Select label="Had" value={p.absent ? 'no' : 'yes'} values={YES_NO} labels={{ yes: 'at least', no: 'none at all' }} onChange={(v) => onChange({ ...p, absent: v === 'no', minCount: v === 'no' ? '' : p.minCount })} />
          {p.absent ? null : <TextInput label="Count" numeric value={p.minCount} placeholder="1" onChange={(minCount) => onChange({ ...p, minCount })} />}
          <TextInput label="Within days" numeric value={p.withinDays} placeholder="ever" onChange={(withinDays) => onChange({ ...p, withinDays })} />
        </>
      );
    case 'nearDetractor':
      return <Select label="Within ties" value={p.hops} values={['1', '2', '3']} onChange={(hops) => onChange({ ...p, hops })} />;
    case 'referredByInfluencer':
      return <TextInput label="Referrer in top" numeric value={p.topRank} onChange={(topRank) => onChange({ ...p, topRank })} />;
    case 'inCommunity':
      return (
        <Select
          label="Community"
          value={p.id}
          values={vocab.communities.map((c) => c.id)}
          labels={Object.fromEntries(vocab.communities.map((c) => [c.id, `${c.id} (${formatCount(c.size)} members)`]))}
          onChange={(id) => onChange({ ...p, id })}
        />
      );
    case 'householdHighValue':
      return <TextInput label={`Someone with CLV${vocab.currency ? ` (${vocab.currency})` : ''} ≥`} numeric value={p.minClv} onChange={(minClv) => onChange({ ...p, minClv })} />;
  }
}
