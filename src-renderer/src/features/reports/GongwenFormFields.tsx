/**
 * The 公文 elements of a document as fields (GB/T 9704-2012): 主送机关; the optional 版头
 * (发文机关标志, 发文字号, 签发人); 加盖印章; 附注; 版记 (抄送机关, 印发机关, 印发日期). One set of fields
 * for every document that carries them: a report draft (报告起草) and a round's 情况通报. Field ids
 * are `${idPrefix}-recipients` and so on, so each screen keeps its own labels reachable.
 */
import { Form, Input, Space, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import { isIsoDate } from '../../../../src-main/shared/domain';
import type { GongwenForm } from '../../../../src-main/shared/report/draft';

export function GongwenFormFields({ form, onChange, idPrefix, issuer, recipientsPlaceholder }: {
  form: GongwenForm;
  onChange: (patch: Partial<GongwenForm>) => void;
  idPrefix: string;
  /** The 发文机关: the 发文机关标志 starts as 「…文件」 when the 版头 is switched on. */
  issuer: string;
  recipientsPlaceholder?: string;
}) {
  const { t } = useTranslation();
  const header = form.header;
  const id = (name: string) => `${idPrefix}-${name}`;
  return (
    <>
      <Form.Item label={t('drafting.recipients')} htmlFor={id('recipients')}>
        <Input id={id('recipients')} value={form.recipients} placeholder={recipientsPlaceholder} onChange={(e) => onChange({ recipients: e.target.value })} />
      </Form.Item>
      <div><Space wrap align="center" className="drafting-switches">
        <label>
          <Switch size="small" checked={header !== null} onChange={(on) => onChange({ header: on ? { orgMark: issuer ? `${issuer}文件` : '', docNumber: '', signer: '' } : null })} />{' '}
          {t('drafting.header')}
        </label>
        <label>
          <Switch size="small" checked={form.seal} onChange={(on) => onChange({ seal: on })} /> {t('drafting.seal')}
        </label>
      </Space></div>
      {header && (
        <div><Space wrap align="start">
          <Form.Item label={t('drafting.orgMark')} htmlFor={id('orgmark')}>
            <Input id={id('orgmark')} style={{ width: 260 }} value={header.orgMark} onChange={(e) => onChange({ header: { ...header, orgMark: e.target.value } })} />
          </Form.Item>
          <Form.Item label={t('drafting.docNumber')} htmlFor={id('docnumber')}>
            <Input id={id('docnumber')} style={{ width: 180 }} value={header.docNumber} onChange={(e) => onChange({ header: { ...header, docNumber: e.target.value } })} />
          </Form.Item>
          <Form.Item label={t('drafting.signer')} htmlFor={id('signer')}>
            <Input id={id('signer')} style={{ width: 120 }} value={header.signer} onChange={(e) => onChange({ header: { ...header, signer: e.target.value } })} />
          </Form.Item>
        </Space></div>
      )}
      <Form.Item label={t('drafting.note')} htmlFor={id('note')}>
        <Input id={id('note')} value={form.note} onChange={(e) => onChange({ note: e.target.value })} />
      </Form.Item>
      <div><Space wrap align="start">
        <Form.Item label={t('drafting.copyTo')} htmlFor={id('copyto')}>
          <Input id={id('copyto')} style={{ width: 260 }} value={form.copyTo} onChange={(e) => onChange({ copyTo: e.target.value })} />
        </Form.Item>
        <Form.Item label={t('drafting.printer')} htmlFor={id('printer')}>
          <Input id={id('printer')} style={{ width: 220 }} value={form.printer} onChange={(e) => onChange({ printer: e.target.value })} />
        </Form.Item>
        <Form.Item
          label={t('drafting.printDate')}
          htmlFor={id('printdate')}
          validateStatus={form.printDate && !isIsoDate(form.printDate) ? 'error' : undefined}
          help={form.printDate && !isIsoDate(form.printDate) ? t('drafting.dateInvalid') : undefined}
        >
          <Input id={id('printdate')} style={{ width: 130 }} placeholder={t('drafting.printDateHint')} value={form.printDate ?? ''} onChange={(e) => onChange({ printDate: e.target.value.trim() || null })} />
        </Form.Item>
      </Space></div>
    </>
  );
}
