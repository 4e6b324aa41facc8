import { defineArea } from './define-area.js';

// docs/merchant-guide.md#shops-methods-and-keys: a shop disabled after the payment opened takes no money at its confirm (tp_confirm)
export const moneyStatements = defineArea({
  'error.shop_disabled': 'This shop does not accept payments now. Nothing was charged; try again later or ask the shop.',
}, {
  ru: { 'error.shop_disabled': 'Этот магазин сейчас не принимает платежи. Деньги не списаны; попробуйте позже или свяжитесь с магазином.' },
  de: { 'error.shop_disabled': 'Dieser Shop nimmt gerade keine Zahlungen an. Es wurde nichts belastet; versuchen Sie es später oder fragen Sie den Shop.' },
  vi: { 'error.shop_disabled': 'Cửa hàng này hiện không nhận thanh toán. Chưa có khoản nào bị trừ; hãy thử lại sau hoặc hỏi cửa hàng.' },
  ar: { 'error.shop_disabled': 'لا يقبل هذا المتجر المدفوعات الآن. لم يُخصم أي مبلغ؛ حاول لاحقًا أو تواصل مع المتجر.' },
});
