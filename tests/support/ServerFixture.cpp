#include "tests/support/ServerFixture.h"

#include "shared/crypto/Crypto.h"
#include "tests/support/TestUtil.h"

#include <QCoreApplication>
#include <QDir>
#include <QSignalSpy>

namespace tern::test {

namespace {
//! Runs what the destroyed server left queued on this thread: its posted events and
//! deleteLater()s (one may post another, hence a few passes). Nothing of it needs time to pass.
void drainPostedEvents()
{
    for (int pass = 0; pass < 4; ++pass) {
        QCoreApplication::sendPostedEvents();
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        QCoreApplication::processEvents();
    }
}
} // namespace

ServerFixture::ServerFixture()
{
    crypto::initialize();
    m_config.bind = QHostAddress::LocalHost;
    m_config.port = 0;
    m_config.dataDir = m_dir.filePath(QStringLiteral("data"));
    m_config.passwordCost = crypto::PasswordCost::Min;
    QDir().mkpath(m_config.dataDir);
}

ServerFixture::~ServerFixture()
{
    stop(false);
}

bool ServerFixture::start()
{
    if (m_app)
        return true;
    if (!m_dir.isValid()) {
        m_error = QStringLiteral("cannot create a temporary directory");
        return false;
    }
    m_config.port = 0;
    m_app = std::make_unique<server::ServerApp>(m_config);
    const Status status = m_app->start();
    if (!status.ok()) {
        m_error = status.error().message;
        qWarning("ServerFixture: start failed: %s", qPrintable(m_error));
        m_app.reset();
        drainPostedEvents();
        return false;
    }
    m_port = m_app->port();
    m_error.clear();
    return m_port != 0;
}

void ServerFixture::stop(bool graceful)
{
    if (!m_app)
        return;
    if (graceful) {
        QSignalSpy stopped(m_app.get(), &server::ServerApp::stopped);
        m_app->shutdown();
        if (stopped.isEmpty() && !stopped.wait(10'000))
            qWarning("ServerFixture: stopped() not emitted within 10 s of shutdown()");
    }
    m_app.reset();
    m_port = 0;
    // Let queued work and deleteLater() of the old server run before anything new starts.
    drainPostedEvents();
}

bool ServerFixture::restart(bool graceful)
{
    stop(graceful);
    return start();
}

QUrl ServerFixture::url() const
{
    return QUrl(QStringLiteral("ws://127.0.0.1:%1/ws").arg(m_port));
}

} // namespace tern::test
