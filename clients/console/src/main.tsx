import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { loadConfig } from './sessao/config';
import './styles.css';

const root = createRoot(document.getElementById('root')!);

loadConfig(`${import.meta.env.BASE_URL}config.json`).then(
  (config) =>
    root.render(
      <StrictMode>
        <App config={config} />
      </StrictMode>,
    ),
  (error: Error) => root.render(<p className="error">Não foi possível ler a configuração do console ({error.message}).</p>),
);
