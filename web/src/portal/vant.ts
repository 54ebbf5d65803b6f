// The Vant components the portal uses, registered once (tests install the same plugin), and
// Vant's own texts (confirm, cancel, pickers) following the UI's language.
import type { App } from 'vue'
import {
  ActionSheet, Button, Cell, CellGroup, Checkbox, CheckboxGroup, Collapse, CollapseItem, Dialog, Divider, Empty, Field,
  Form, Grid, GridItem, Icon, Loading, Locale, NavBar, NoticeBar, Picker, Popup, Radio, RadioGroup, Step, Steps, Tab,
  Tabbar, TabbarItem, Tabs, Tag, Toast, Uploader,
} from 'vant'
import enUS from 'vant/es/locale/lang/en-US'
import zhCN from 'vant/es/locale/lang/zh-CN'

const components = [
  ActionSheet, Button, Cell, CellGroup, Checkbox, CheckboxGroup, Collapse, CollapseItem, Dialog, Divider, Empty, Field,
  Form, Grid, GridItem, Icon, Loading, NavBar, NoticeBar, Picker, Popup, Radio, RadioGroup, Step, Steps, Tab, Tabbar,
  TabbarItem, Tabs, Tag, Toast, Uploader,
]

export const vant = {
  install(app: App) {
    for (const component of components) app.use(component)
  },
}

export function useVantLocale(locale: string) {
  if (locale === 'en') Locale.use('en-US', enUS)
  else Locale.use('zh-CN', zhCN)
}
