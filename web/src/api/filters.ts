/** The dashboard's shared filters (features/filters) as the API takes them; absent = all. */
export interface SharedFilters {
  from?: string | undefined;
  to?: string | undefined;
  category?: string | undefined;
}

export interface DisputeFilters extends SharedFilters {
  town?: string | undefined;
  status?: string | undefined;
}

/** The filters as one plain key part, absent ones as null, so equal filters share a cache entry. */
export const sharedFilterKey = (town: string | undefined, f: SharedFilters) => ({
  town: town ?? null,
  from: f.from ?? null,
  to: f.to ?? null,
  category: f.category ?? null,
});
