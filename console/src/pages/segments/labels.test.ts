import { describe, expect, it } from 'vitest';
import { plainIssue, profileFieldLabel, scoreFieldLabel } from './labels';

describe('builder labels', () => {
  it('names score and profile fields with units, keeping unknown words', () => {
    expect(scoreFieldLabel('clv', 'CNY')).toBe('CLV (CNY)');
    expect(scoreFieldLabel('clv')).toBe('CLV');
    expect(scoreFieldLabel('expectedPurchases90', 'CNY')).toBe('Expected purchases, next 90 days');
    expect(scoreFieldLabel('rfmR')).toBe('RFM recency score (1–5)');
    expect(scoreFieldLabel('brandNew')).toBe('brandNew');
    expect(profileFieldLabel('country')).toBe('Country (ISO code)');
  });

  it('says what is wrong in plain words', () => {
    expect(plainIssue('definition.and[0].score.min', 'must be a number, not "x"')).toBe('Min must be a number, not "x"');
    expect(plainIssue('definition.and[0].score', 'needs min, max or both')).toBe('This condition needs min, max or both');
    expect(plainIssue('definition.and', 'is empty: add a condition')).toBe('This group is empty: add a condition');
    expect(plainIssue('definition.and[0].score.field', 'choose a score')).toBe('Choose a score');
    expect(plainIssue('definition.and[0].profile.values', 'is missing: enter one or more values')).toBe('Value is missing: enter one or more values');
  });
});
