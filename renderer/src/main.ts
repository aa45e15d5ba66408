import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { i18n } from './i18n'
import { createIpcClient, pickTransport } from './ipc/client'
import { ipcKey } from './ipc/inject'
import './styles/base.css'

createApp(App)
  .use(createPinia())
  .use(i18n)
  .provide(ipcKey, createIpcClient(pickTransport(window)))
  .mount('#app')
