import './styles.css';
import { startApp, type Page } from './app';
import { h } from './dom';
import { adminPage } from './pages/admin';
import { casePage } from './pages/case';
import { drilldownPage } from './pages/drilldown';
import { loginPage } from './pages/login';
import { overviewPage } from './pages/overview';
import { worklistPage } from './pages/worklist';
import type { PageName } from './state';

const notFound: Page = async (ctx) => {
  document.title = 'Siden findes ikke – tilsyn';
  ctx.main.append(h('h1', { tabindex: '-1' }, 'Siden findes ikke'), h('p', {}, 'Brug menuen øverst.'));
};

const pages: Record<PageName, Page> = {
  login: notFound,
  worklist: worklistPage,
  overview: overviewPage,
  drilldown: drilldownPage,
  case: casePage,
  admin: adminPage,
  notfound: notFound,
};

startApp(pages, (done) => loginPage(document.getElementById('main')!)(done));
