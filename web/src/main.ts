import { createApp } from 'vue'
import App from './App.vue'
import { watchPickerPanels } from './a11y/pickerPanels'
import { router } from './router'
import './theme.css'

createApp(App).use(router).mount('#app')
watchPickerPanels()
