import assert from 'node:assert/strict';
import { loadConfig, ConfigError } from '../../lib/config.js';

describe('config', () => {
  it('reads defaults, then the environment file, then environment variables', () => {
    const config = loadConfig({ NODE_ENV: 'development', PORT: '4000', SMS_GATEWAY: 'smpp,http', SMPP_URL: 'smpp://u:p@127.0.0.1:2775', SMS_HTTP_URL: 'http://127.0.0.1:9/sms', NOTIFY_RETRY_SCHEDULE: '5, 10,20' });
    assert.equal(config.port, 4000);
    assert.deepEqual(config.smsGateway, ['smpp', 'http']);
    assert.deepEqual(config.notifyRetrySchedule, [5, 10, 20]);
    assert.equal(config.codes.length, 4);
    assert.equal(loadConfig({ NODE_ENV: 'test' }).logLevel, 'silent');
  });

  it('is frozen', () => {
    const config = loadConfig({ NODE_ENV: 'development' });
    assert.throws(() => ((config as { port: number }).port = 1));
    assert.throws(() => ((config.codes as { length: number }).length = 6));
  });

  it('names the bad setting by its environment variable', () => {
    assert.throws(() => loadConfig({ NODE_ENV: 'development', PORT: 'eighty' }), (err: Error) => err instanceof ConfigError && /PORT/.test(err.message));
    assert.throws(() => loadConfig({ NODE_ENV: 'development', SMS_GATEWAY: 'pigeon' }), /SMS_GATEWAY/);
    assert.throws(() => loadConfig({ NODE_ENV: 'development', SMS_GATEWAY: 'http' }), /SMS_HTTP_URL/);
    assert.throws(() => loadConfig({ NODE_ENV: 'development', DATABASE_URL: 'mysql://x' }), /DATABASE_URL.*postgres/);
    assert.throws(() => loadConfig({ NODE_ENV: 'development', CODE_LENGTH: '3' }), /CODE_LENGTH/);
    assert.throws(() => loadConfig({ NODE_ENV: 'development', NOTIFY_RETRY_SCHEDULE: '10,-5' }), /NOTIFY_RETRY_SCHEDULE/);
  });

  it('refuses a RETENTION_DAYS shorter than REFUND_WINDOW_DAYS: a refundable payment keeps its phone', () => {
    assert.throws(() => loadConfig({ NODE_ENV: 'development', RETENTION_DAYS: '60', REFUND_WINDOW_DAYS: '90' }), /RETENTION_DAYS \(60\) must be at least REFUND_WINDOW_DAYS \(90\)/);
    assert.equal(loadConfig({ NODE_ENV: 'development', RETENTION_DAYS: '90', REFUND_WINDOW_DAYS: '90' }).retentionDays, 90);
  });

  it('refuses to start in production without DATABASE_URL and ADMIN_TOKEN', () => {
    assert.throws(() => loadConfig({ NODE_ENV: 'production' }), /DATABASE_URL.*ADMIN_TOKEN/);
    const complete = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://db/telepurse',
      ADMIN_TOKEN: 'a-long-operator-token',
      CODE_SECRET: 'a-long-code-secret-value',
      DATA_KEY: 'a-long-data-key-value-0123456789-abcdef',
      SMS_GATEWAY: 'http',
      SMS_HTTP_URL: 'https://sms.example.com/send',
    };
    assert.equal(loadConfig(complete).env, 'production');
    assert.throws(() => loadConfig({ ...complete, ADMIN_TOKEN: '' }), /ADMIN_TOKEN/);
    assert.throws(() => loadConfig({ ...complete, SMS_GATEWAY: 'log' }), /log gateway/);
  });

  it('lets PUBLIC_URL follow PORT unless it is set, and notes an unset NODE_ENV', () => {
    assert.equal(loadConfig({ PORT: '3300' }).publicUrl, 'http://localhost:3300');
    assert.equal(loadConfig({ PORT: '3300', PUBLIC_URL: 'https://pay.example.com' }).publicUrl, 'https://pay.example.com');
    assert.equal(loadConfig({}).envImplicit, true);
    assert.equal(loadConfig({}).env, 'development');
    assert.equal(loadConfig({ NODE_ENV: 'development' }).envImplicit, false);
  });

  it('reads TRUST_PROXY, and production still requires CODE_SECRET', () => {
    assert.equal(loadConfig({ NODE_ENV: 'development', TRUST_PROXY: 'true' }).trustProxy, true);
    assert.equal(loadConfig({ NODE_ENV: 'development' }).trustProxy, false);
    assert.throws(() => loadConfig({ NODE_ENV: 'development', TRUST_PROXY: 'yes' }), /TRUST_PROXY/);
    const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://db/telepurse', ADMIN_TOKEN: 'a-long-operator-token', SMS_GATEWAY: 'http', SMS_HTTP_URL: 'https://sms.example.com/send' };
    assert.throws(() => loadConfig(production), /CODE_SECRET, DATA_KEY/);
  });
});
