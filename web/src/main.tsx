import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { ReportPage } from './features/report/ReportPage';
import { UploadPage } from './features/uploads/UploadPage';
import { initI18n } from './i18n';
import './styles.css';

initI18n();

const queryClient = new QueryClient({
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
      {window.location.pathname === '/upload' ? (
        <UploadPage />
      ) : window.location.pathname === '/report' ? (
        <ReportPage />
      ) : (
        <App />
      )}
    </QueryClientProvider>
  </StrictMode>,
);
