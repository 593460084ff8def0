import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './i18n';
// antd's styles as a stylesheet (App's theme is zeroRuntime); before app.css, whose rules refine them.
import 'antd/dist/antd.css';
import './app/app.css';
import { App } from './app/App';
import { startupMark } from './lib/perfMarks';
import { loadCorpusOnce } from './store/corpusStore';
import { startSession } from './store/sessionStore';

startupMark('boot');
// The corpus request and the database's opening start now, not after React's first render.
void loadCorpusOnce();
void startSession();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
