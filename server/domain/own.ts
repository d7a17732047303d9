/**
 * A table lookup by a string that may come from a user (a query value, a file's header or cell, a file name):
 * only the table's own keys answer, so `__proto__`, `constructor` or `toString` find nothing instead of an
 * inherited function that later code would trip over.
 */
export function own<V>(table: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
