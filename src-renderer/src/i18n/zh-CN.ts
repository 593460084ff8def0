/** 简体中文 — the primary catalogue. Every key here must exist in en.ts (a test checks). */
const zhCN = {
  app: {
    title: '试点任务批注工作台',
    subtitle: '南京市服务业扩大开放综合试点',
    loading: '正在载入试点方案…',
    language: '语言',
  },
  nav: {
    tasks: '任务',
    reader: '方案原文',
  },
  corpusError: {
    title: '无法载入试点方案原文',
    hint: '软件未能读取内置的方案原文，因此不会显示空白的任务清单。请重新安装本软件；如问题仍在，请联系维护人员并提供下方的技术信息。',
    detail: '技术信息',
    retry: '重试',
  },
  tree: {
    all: '全部任务',
    table: '表{{number}} {{title}}',
    count: '{{count}} 项',
    empty: '没有符合条件的任务',
  },
  search: {
    placeholder: '搜索任务（Ctrl+K）',
    results: '找到 {{count}} 项任务',
    clear: '清除搜索',
  },
  task: {
    none: '从左侧选择一项试点任务',
    id: '任务编号',
    table: '所属表格',
    group: '类别',
    domain: '领域',
    measure: '对应方案措施',
    measureLink: '在方案原文中查看',
    text: '试点任务',
  },
  reader: {
    notice: '通知',
    docNumber: '文号',
    issuer: '发文机关',
    date: '成文日期',
    chapters: '方案正文',
    measures: '主要任务和措施',
    relatedTasks: '对应试点任务（{{count}} 项）',
    tableList: '任务清单',
  },
};
export default zhCN;

/** The shape every catalogue must have (values are strings). */
type Catalogue<T> = { [K in keyof T]: T[K] extends string ? string : Catalogue<T[K]> };
export type Messages = Catalogue<typeof zhCN>;
