import './style.css';
import { HandsApp } from './handsApp';
import { readPageOptions } from './pageOptions';
import { registerOfflineSupport } from './pwaUpdate';

new HandsApp(readPageOptions()).start();
registerOfflineSupport(document.getElementById('update')!);
