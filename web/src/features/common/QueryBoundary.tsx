import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { QueryError, QueryLoading } from './QueryStatus';

interface QueryBoundaryProps<T> {
  query: UseQueryResult<T>;
  /** Skeleton lines while the first answer loads. */
  lines?: number;
  /** Shown instead of the content when `isEmpty` says the answer has nothing to show. */
  empty?: ReactNode;
  isEmpty?: (data: T) => boolean;
  children: (data: T) => ReactNode;
}

/**
 * The one ladder of a panel fed by a query: a skeleton while the first answer loads, the reason and a retry
 * button when it failed, the `empty` note when there is nothing to show, else the content. A refetch keeps the
 * content on screen (placeholder data), and a failed refetch shows its reason above the content it kept.
 */
export function QueryBoundary<T>({ query, lines = 3, empty, isEmpty, children }: QueryBoundaryProps<T>) {
  if (query.isPending) return <QueryLoading lines={lines} />;
  const error = query.isError ? <QueryError error={query.error} onRetry={() => void query.refetch()} /> : null;
  if (query.data === undefined) return error;
  const content = empty !== undefined && isEmpty?.(query.data) ? empty : children(query.data);
  return (
    <>
      {error}
      {content}
    </>
  );
}
