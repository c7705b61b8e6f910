import './style.css';
import { HandsApp } from './handsApp';
import { readPageOptions } from './pageOptions';

new HandsApp(readPageOptions()).start();
