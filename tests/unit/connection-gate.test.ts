import { describe, expect, it } from 'vitest';
import { ConnectionGate, type GatePriority } from '../../server/db/embedded.js';

describe('the embedded connection gate', () => {
  it('given statements waiting behind a busy connection, hands it to deliveries first, then short work, then stream pages, each in arrival order', async () => {
    const gate = new ConnectionGate();
    const order: string[] = [];
    let release: () => void = () => {};
    const busy = gate.run('urgent', () => new Promise<void>((r) => (release = r)));
    const waiting: [GatePriority, string][] = [
      ['background', 'page 1'],
      ['urgent', 'write 1'],
      ['first', 'delivery 1'],
      ['urgent', 'write 2'],
      ['background', 'page 2'],
      ['first', 'delivery 2'],
    ];
    const runs = waiting.map(([priority, name]) =>
      gate.run(priority, async () => {
        order.push(name);
      }),
    );
    release();
    await Promise.all([busy, ...runs]);
    expect(order).toEqual(['delivery 1', 'delivery 2', 'write 1', 'write 2', 'page 1', 'page 2']);
  });

  it('given a request whose next statement follows its previous answer, runs it before a waiting stream page', async () => {
    const gate = new ConnectionGate();
    const order: string[] = [];
    let release: () => void = () => {};
    const request = (async () => {
      await gate.run('urgent', () => new Promise<void>((r) => (release = r)));
      order.push('read 1');
      await gate.run('urgent', async () => {
        order.push('read 2');
      });
    })();
    const page = gate.run('background', async () => {
      order.push('page');
    });
    release();
    await Promise.all([request, page]);
    expect(order).toEqual(['read 1', 'read 2', 'page']);
  });

  it('given an idle connection, runs a statement at once whatever its priority', async () => {
    const gate = new ConnectionGate();
    for (const p of ['background', 'first', 'urgent'] as const) expect(await gate.run(p, async () => p)).toBe(p);
  });
});
