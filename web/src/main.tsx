import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { meKey } from './api/auth';
import { ApiError } from './api/client';
import { AuthGate } from './features/auth/AuthGate';
import { ReportPage } from './features/report/ReportPage';
import { UploadPage } from './features/uploads/UploadPage';
import { initI18n } from './i18n';
import './styles.css';
// Last, so that its print rules win over the screen rules of equal specificity before it.
import './print.css';

initI18n();

// A 401 anywhere means the session ended (idle timeout, signed out elsewhere): back to the sign-in page.
const onError = (error: unknown) => {
  if (error instanceof ApiError && error.status === 401) queryClient.setQueryData(meKey, null);
};
const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError }),
  mutationCache: new MutationCache({ onError }),
  defaultOptions: {
    queries: {
      retry: 1,
      refetchOnWindowFocus: false,
    },
  },
});

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <AuthGate>
        {(role) =>
          window.location.pathname === '/upload' ? (
            <UploadPage />
          ) : window.location.pathname === '/report' || role === 'screener' ? (
            <ReportPage />
          ) : (
            <App />
          )
        }
      </AuthGate>
    </QueryClientProvider>
  </StrictMode>,
);
