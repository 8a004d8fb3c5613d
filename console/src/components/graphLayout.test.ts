import { describe, expect, it } from 'vitest';
import { coherentLayout, runLayoutSafely, type LayoutHost, type LayoutRequest } from './graphLayout';

/** A Cytoscape stand-in whose layouts throw while `fails` says so, and stop synchronously otherwise. */
function host(fails: (o: LayoutRequest) => boolean) {
  const asked: LayoutRequest[] = [];
  const h: LayoutHost = {
    layout(o) {
      asked.push(o);
      let stop = () => {};
      return {
        one: (_e: string, f: () => void) => {
          stop = f;
        },
        run: () => {
          if (fails(o)) throw new TypeError("Cannot read properties of undefined (reading 'nodeIndexes')");
          stop();
        },
      };
    },
  };
  return { h, asked };
}

describe('runLayoutSafely', () => {
  it('runs the layout as asked when it works', () => {
    const { h, asked } = host(() => false);
    let done = 0;
    const errors: unknown[] = [];
    runLayoutSafely(h, { name: 'fcose', randomize: false }, () => done++, (e) => errors.push(e));
    expect(asked).toHaveLength(1);
    expect(done).toBe(1);
    expect(errors).toEqual([]);
  });

  it('retries from scratch when an incremental fcose run throws, and reports the error', () => {
    const { h, asked } = host((o) => o.randomize === false);
    let done = 0;
    const errors: unknown[] = [];
    runLayoutSafely(h, { name: 'fcose', randomize: false }, () => done++, (e) => errors.push(e));
    expect(asked.map((o) => [o.name, o.randomize])).toEqual([['fcose', false], ['fcose', true]]);
    expect(done).toBe(1);
    expect(errors).toHaveLength(1);
  });

  it('falls back to cose when fcose always throws, and still finishes when everything does', () => {
    const cose = host((o) => o.name === 'fcose');
    let done = 0;
    runLayoutSafely(cose.h, { name: 'fcose', randomize: false }, () => done++, () => {});
    expect(cose.asked.map((o) => o.name)).toEqual(['fcose', 'fcose', 'cose']);
    expect(done).toBe(1);

    const none = host(() => true);
    const errors: unknown[] = [];
    runLayoutSafely(none.h, { name: 'fcose', randomize: true }, () => done++, (e) => errors.push(e));
    expect(done).toBe(2);
    expect(errors).toHaveLength(2);
  });

  it('keeps an error in the done handler from escaping', () => {
    const { h } = host(() => false);
    const errors: unknown[] = [];
    expect(() =>
      runLayoutSafely(h, { name: 'cose' }, () => {
        throw new Error('handler');
      }, (e) => errors.push(e)),
    ).not.toThrow();
    expect(errors).toHaveLength(1);
  });
});

describe('coherentLayout', () => {
  it('does not ask fcose for draft quality while keeping positions', () => {
    expect(coherentLayout({ name: 'fcose', randomize: false, quality: 'draft' }).quality).toBe('default');
    expect(coherentLayout({ name: 'fcose', randomize: true, quality: 'draft' }).quality).toBe('draft');
  });
});
