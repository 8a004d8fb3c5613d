// Readable names for the API's field words in the builder: the value sent stays the API's
// word; only what the analyst reads changes. Unknown words (a newer server) show as they are.

const SCORE_FIELDS: Record<string, string> = {
  clv: 'CLV',
  churnRisk: 'Churn risk (0–1)',
  pAlive: 'P(alive)',
  loyalty: 'Loyalty score',
  revenue: 'Revenue to date',
  expectedPurchases90: 'Expected purchases, next 90 days',
  complaints: 'Complaints',
  openComplaints: 'Open complaints',
  sentimentAvg: 'Average sentiment (−1 to 1)',
  rfmR: 'RFM recency score (1–5)',
  rfmF: 'RFM frequency score (1–5)',
  rfmM: 'RFM monetary score (1–5)',
  influenceScore: 'Influence score',
  influenceRank: 'Influence rank (1 = most)',
  reach2: '2-hop reach',
};

/** Score fields that are money, labelled with the scoring currency. */
const MONEY = new Set(['clv', 'revenue']);

const PROFILE_FIELDS: Record<string, string> = {
  country: 'Country (ISO code)',
  city: 'City',
  gender: 'Gender',
  region: 'Region',
  postcode: 'Postcode',
  source: 'Source system',
};

const PROFILE_OPS: Record<string, string> = { eq: 'is', in: 'is one of', notIn: 'is none of', prefix: 'starts with' };

/** A score field's label, with the currency for money when it is known. */
export function scoreFieldLabel(field: string, currency?: string | null): string {
  const label = SCORE_FIELDS[field] ?? field;
  return MONEY.has(field) && currency ? `${label} (${currency})` : label;
}

export const profileFieldLabel = (field: string): string => PROFILE_FIELDS[field] ?? field;
export const profileOpLabel = (op: string): string => PROFILE_OPS[op] ?? op;

/** Labels for a select of API words. */
export function labelsFor(values: readonly string[], label: (v: string) => string): Record<string, string> {
  return Object.fromEntries(values.map((v) => [v, label(v)]));
}

// The input each last path segment of a builder message is about, as the form names it.
const INPUTS: Record<string, string> = {
  field: 'Field',
  op: 'Operator',
  values: 'Value',
  min: 'Min',
  max: 'Max',
  type: 'Type',
  purpose: 'Purpose',
  minTimes: '"At least (times)"',
  withinDays: '"Within days"',
  minCount: 'Count',
  hops: '"Within ties"',
  topRank: '"Referrer in top"',
  id: 'Community',
  minClv: 'CLV',
};
const GROUPS = new Set(['and', 'or', 'not', 'definition']);
const INSTRUCTION = /^(choose|enter|add|pick|name|put)\b/i;

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * A builder message in plain words: "Min must be a number, not "x"" for `…score.min`, "This
 * condition needs min, max or both" for the predicate itself, "This group is empty: add a
 * condition" for a group. The API path is shown beside it, smaller.
 */
export function plainIssue(path: string, message: string): string {
  if (INSTRUCTION.test(message)) return capital(message);
  const last = path.split('.').pop() ?? '';
  const bare = last.replace(/\[\d+\]$/, '');
  if (GROUPS.has(bare)) return `This group ${message}`;
  const input = INPUTS[bare];
  return input ? `${input} ${message}` : `This condition ${message}`;
}
