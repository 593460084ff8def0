import { useEffect, useMemo, useRef } from 'react';
import { Anchor, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Task } from '../../../../src-main/shared/corpus/types';
import { useCorpus } from '../../store/corpusStore';
import { useUiStore } from '../../store/uiStore';

const CN_NUM = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** The whole plan as a reader: the notice, the chapters, and the 17 measures linked to their tasks. */
export function PlanReader() {
  const { t } = useTranslation();
  const corpus = useCorpus();
  const openTask = useUiStore((s) => s.openTask);
  const target = useUiStore((s) => s.readerMeasure);
  const root = useRef<HTMLDivElement>(null);
  const tasksByMeasure = useMemo(() => {
    const m = new Map<number, Task[]>();
    for (const task of corpus.tasks) m.set(task.measure, [...(m.get(task.measure) ?? []), task]);
    return m;
  }, [corpus.tasks]);

  useEffect(() => {
    if (target === null) return;
    root.current?.querySelector(`#measure-${target}`)?.scrollIntoView({ block: 'start' });
  }, [target]);

  const { meta } = corpus;
  return (
    <div className="reader" ref={root}>
      <div className="reader-body">
        <section id="notice" className="reader-notice">
          <Typography.Title level={3} className="reader-title">{meta.noticeTitle}</Typography.Title>
          <p className="reader-docno">{meta.docNumber}</p>
          <p className="reader-addressees">{meta.addressees}</p>
          {meta.noticeBody.map((p, i) => (
            <p key={i} className="reader-para">{p}</p>
          ))}
          <p className="reader-sign">{meta.issuer}<br />{meta.date.replace(/^(\d{4})-0?(\d+)-0?(\d+)$/, '$1年$2月$3日')}</p>
        </section>
        <Typography.Title level={3} className="reader-title">{meta.title}</Typography.Title>
        {corpus.preamble.map((p, i) => (
          <p key={i} className="reader-para">{p}</p>
        ))}
        {corpus.chapters.map((ch) => (
          <section key={ch.number} id={`chapter-${ch.number}`}>
            <Typography.Title level={4}>{CN_NUM[ch.number]}、{ch.title}</Typography.Title>
            {ch.sections.map((sec) => {
              const measures = corpus.measures.filter((m) => ch.number === 2 && m.section === sec.number);
              return (
                <div key={sec.number} id={`chapter-${ch.number}-section-${sec.number}`}>
                  {sec.number > 0 && <Typography.Title level={5}>（{CN_NUM[sec.number]}）{sec.title}。</Typography.Title>}
                  {sec.paragraphs.map((p, i) => (
                    <p key={i} className="reader-para">{p}</p>
                  ))}
                  {measures.map((m) => {
                    const related = tasksByMeasure.get(m.number) ?? [];
                    return (
                      <div key={m.number} id={`measure-${m.number}`} className={`reader-measure${target === m.number ? ' is-target' : ''}`} data-measure={m.number}>
                        <p className="reader-para">{m.text}</p>
                        <div className="reader-related">
                          <span className="reader-related-label">{t('reader.relatedTasks', { count: related.length })}</span>
                          {related.map((task) => (
                            <Tag key={task.id} className="reader-task-link" onClick={() => openTask(task.id)} title={task.text} role="link" tabIndex={0}
                              onKeyDown={(e) => { if (e.key === 'Enter') openTask(task.id); }}>
                              {task.id}
                            </Tag>
                          ))}
                        </div>
                      </div>
                    );
                  })}
                </div>
              );
            })}
          </section>
        ))}
        <section id="task-tables">
          <Typography.Title level={4}>{t('reader.tableList')}</Typography.Title>
          {corpus.tables.map((tb) => (
            <p key={tb.number} className="reader-para">表{tb.number} {tb.title}（{tb.taskCount} 项）</p>
          ))}
        </section>
      </div>
      <Anchor
        className="reader-anchor"
        getContainer={() => root.current ?? window}
        items={[
          { key: 'notice', href: '#notice', title: t('reader.notice') },
          ...corpus.chapters.map((ch) => ({ key: `c${ch.number}`, href: `#chapter-${ch.number}`, title: `${CN_NUM[ch.number]}、${ch.title}` })),
          { key: 'tables', href: '#task-tables', title: t('reader.tableList') },
        ]}
      />
    </div>
  );
}
