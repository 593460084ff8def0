import type { Messages } from './zh-CN';

/** English catalogue, kept complete beside the Chinese one. */
const en: Messages = {
  app: {
    title: 'Pilot Desk',
    subtitle: 'Nanjing comprehensive pilot for opening up the service industry',
    loading: 'Loading the pilot plan…',
    language: 'Language',
  },
  nav: {
    tasks: 'Tasks',
    reader: 'Plan text',
  },
  corpusError: {
    title: 'The pilot plan could not be loaded',
    hint: 'The built-in plan text could not be read, so no empty task list is shown. Please reinstall the app; if the problem remains, contact support with the technical details below.',
    detail: 'Technical details',
    retry: 'Retry',
  },
  tree: {
    all: 'All tasks',
    table: 'Table {{number}} {{title}}',
    count: '{{count}} tasks',
    empty: 'No task matches',
  },
  search: {
    placeholder: 'Search tasks (Ctrl+K)',
    results: '{{count}} tasks found',
    clear: 'Clear search',
  },
  task: {
    none: 'Choose a pilot task on the left',
    id: 'Task id',
    table: 'Table',
    group: 'Category',
    domain: 'Field',
    measure: 'Measure in the plan',
    measureLink: 'Show in the plan text',
    text: 'Pilot task',
  },
  reader: {
    notice: 'Notice',
    docNumber: 'Document number',
    issuer: 'Issued by',
    date: 'Date',
    chapters: 'Plan',
    measures: 'Main tasks and measures',
    relatedTasks: 'Pilot tasks restating it ({{count}})',
    tableList: 'Task list',
  },
};
export default en;
