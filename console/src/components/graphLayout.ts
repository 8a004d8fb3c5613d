// Running a Cytoscape layout so that a layout bug never reaches the page: fcose throws on some
// incremental runs (e.g. "reading 'nodeIndexes'" in relocateComponent when it is asked to keep
// positions), so a failed run is retried from scratch, and then with the built-in cose.

/** The part of a Cytoscape core this needs (a fake in the unit tests). */
export interface LayoutHost {
  layout(options: LayoutRequest): { one(event: string, handler: () => void): unknown; run(): unknown };
}

export type LayoutRequest = { name: string; randomize?: boolean; quality?: string } & Record<string, unknown>;

/**
 * The options fcose can honour: its 'draft' quality skips the step that keeps positions, so a
 * run with randomize false must use the default quality (the combination is what crashes).
 */
export function coherentLayout(options: LayoutRequest): LayoutRequest {
  if (options.name === 'fcose' && options.randomize === false && options.quality === 'draft') return { ...options, quality: 'default' };
  return options;
}

/** The runs to try in order: as asked, then from scratch, then cose. */
export function layoutAttempts(options: LayoutRequest): LayoutRequest[] {
  const asked = coherentLayout(options);
  const attempts = [asked];
  if (asked.randomize !== true) attempts.push({ ...asked, randomize: true, quality: 'default' });
  if (asked.name !== 'cose') attempts.push({ name: 'cose', animate: false, randomize: true, fit: false });
  return attempts;
}

/**
 * Runs the layout, falling back as layoutAttempts says while one throws, and calls done once,
 * when the first run that did not throw stops (or, if every attempt throws, at once: the nodes
 * then stay where they were). Errors go to onError, never up: neither a layout's nor done's.
 */
export function runLayoutSafely(host: LayoutHost, options: LayoutRequest, done: () => void, onError: (err: unknown) => void): void {
  let called = false;
  const finish = () => {
    if (called) return;
    called = true;
    try {
      done();
    } catch (err) {
      onError(err);
    }
  };
  for (const attempt of layoutAttempts(options)) {
    let failed = false;
    try {
      const run = host.layout(attempt);
      run.one('layoutstop', () => {
        if (!failed) finish();
      });
      run.run();
      return;
    } catch (err) {
      failed = true;
      onError(err);
    }
  }
  finish();
}
