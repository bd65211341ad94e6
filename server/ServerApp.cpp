#include "ServerApp.h"

#include "server/MemoryTrimmer.h"
#include "server/Watchdog.h"
#include "server/admin/AdminChannel.h"
#include "server/admin/AdminService.h"
#include "server/auth/AuthService.h"
#include "server/config/DataDir.h"
#include "server/media/MediaApi.h"
#include "server/net/LanBeacon.h"
#include "server/net/WsFrame.h"
#include "server/net/WsServer.h"
#include "server/routing/Router.h"
#include "server/store/SearchIndexPurger.h"
#include "server/store/SearchIndexer.h"
#include "server/store/SqlStore.h"
#include "server/tls/ServerCertificate.h"
#include "shared/core/ContinueOn.h"
#include "shared/core/Log.h"
#include "shared/crypto/Crypto.h"
#include "shared/model/CertificateFingerprint.h"

#include <QCoreApplication>
#include <QCoroFuture>
#include <QDir>
#include <QHostInfo>
#include <QPointer>
#include <QSslSocket>
#include <QTimer>

namespace tern::server {

struct ServerApp::Parts
{
    std::unique_ptr<store::SqlStore> store;
    std::unique_ptr<store::SearchIndexPurger> purger;
    std::unique_ptr<store::SearchIndexer> indexer;
    std::unique_ptr<auth::AuthService> auth;
    std::unique_ptr<routing::Router> router;
    std::unique_ptr<media::MediaApi> media;
    std::unique_ptr<net::WsServer> ws;
    std::unique_ptr<net::LanBeacon> beacon;
    std::unique_ptr<admin::AdminService> admin;
    std::unique_ptr<admin::AdminChannel> adminChannel;
    std::unique_ptr<Watchdog> watchdog;
    std::unique_ptr<MemoryTrimmer> trimmer;
    QString fingerprintHex; // of the TLS certificate; empty for plain ws://
    bool stopping = false;
    bool stopped = false;
};

namespace {
constexpr int kShutdownCloseWaitMs = 3000;
// Nothing on the socket thread should take more than milliseconds; 5 s without a turn of its
// event loop is a hang (or a machine so overloaded that an admin wants to know).
constexpr int kSocketThreadStallMs = 5000;
} // namespace

ServerApp::ServerApp(ServerConfig config, QObject *parent)
    : QObject(parent), m_parts(std::make_unique<Parts>()), m_config(std::move(config))
{}

ServerApp::~ServerApp()
{
    // Sockets first (they detach from the router), then routing, then storage, which commits
    // whatever is still queued before its thread stops.
    m_parts->trimmer.reset();
    m_parts->watchdog.reset();
    m_parts->beacon.reset();
    m_parts->adminChannel.reset();
    m_parts->admin.reset();
    m_parts->ws.reset();
    m_parts->media.reset();
    m_parts->router.reset();
    m_parts->auth.reset();
    m_parts->purger.reset();
    m_parts->indexer.reset();
    m_parts->store.reset();
}

Status ServerApp::start()
{
    if (!crypto::initialize())
        return Error{ErrorCode::Internal, QStringLiteral("libsodium failed to initialise")};
    if (!config::prepareDataDir(m_config.dataDir))
        return Error{ErrorCode::Internal,
                     QStringLiteral("cannot create data dir ") + m_config.dataDir};
    m_parts->store = std::make_unique<store::SqlStore>(m_config.dataDir);
    if (Status opened = m_parts->store->start(); !opened)
        return opened;
    m_parts->auth = std::make_unique<auth::AuthService>(*m_parts->store, m_config);
    m_parts->router = std::make_unique<routing::Router>(*m_parts->store, *m_parts->auth, m_config);
    m_parts->media = std::make_unique<media::MediaApi>(*m_parts->store, *m_parts->auth, m_config);
    routing::Router *router = m_parts->router.get();
    media::MediaApi *mediaApi = m_parts->media.get();
    router->setMediaForgotten([mediaApi](const QStringList &ids) { mediaApi->forgetFiles(ids); });
    m_parts->admin = std::make_unique<admin::AdminService>(
        *m_parts->store, m_config.passwordCost,
        [router](const QString &userId, const QString &reason) {
            router->closeUserSessions(userId, reason);
        });
    m_parts->adminChannel = std::make_unique<admin::AdminChannel>(*m_parts->admin);
    // Before the port: a second ternd on the same data dir stops here, not half-started.
    if (Status adminReady = m_parts->adminChannel->listen(m_config.dataDir); !adminReady) {
        if (adminReady.error().code == ErrorCode::Conflict)
            return adminReady;
        // E.g. a data dir path longer than a Unix socket path may be (about 100 bytes): serve
        // anyway; `ternd user` then edits the database, which live sessions see only later.
        qCWarning(lcServer).noquote()
            << adminReady.error().message
            << "- `ternd user` commands will change the database directly; sessions already "
               "open are not closed by them";
    }
    if (Status tlsReady = prepareTls(); !tlsReady)
        return tlsReady;
    m_parts->ws = std::make_unique<net::WsServer>(m_config, *m_parts->router);
    m_parts->ws->setHttpHandler(m_parts->media.get());
    if (Status listening = m_parts->ws->listen(); !listening)
        return listening;
    m_parts->media->startSweeping();
    m_parts->purger =
        std::make_unique<store::SearchIndexPurger>(*m_parts->store, m_config.searchPurgeIntervalMs);
    m_parts->purger->start();
    m_parts->indexer =
        std::make_unique<store::SearchIndexer>(*m_parts->store, m_config.searchIndexIntervalMs);
    m_parts->indexer->start();
    m_parts->watchdog = std::make_unique<Watchdog>(QStringLiteral("socket"), kSocketThreadStallMs);
    m_parts->trimmer = std::make_unique<MemoryTrimmer>(MemoryTrimmer::Settings{});
    // Only now is the real port known (port 0 in tests); announcing a server that failed to
    // listen would send apps to nothing.
    if (m_config.announce) {
        m_parts->beacon = std::make_unique<net::LanBeacon>(
            m_config.announceAddress, m_config.announcePort, m_config.announceIntervalMs);
        net::LanBeacon::Announcement announcement;
        announcement.name =
            m_config.serverName.isEmpty() ? QHostInfo::localHostName() : m_config.serverName;
        announcement.port = m_parts->ws->port();
        announcement.tls = m_parts->ws->secure();
        announcement.fingerprint = m_parts->fingerprintHex;
        announcement.version = QCoreApplication::applicationVersion();
        m_parts->beacon->start(announcement);
    }
    return Ok{};
}

Status ServerApp::prepareTls()
{
    if (m_config.tlsCertFile.isEmpty()) {
        qCWarning(lcServer) << "serving without TLS (--no-tls): passwords and messages cross the "
                               "network unencrypted unless a TLS-terminating proxy is in front";
        return Ok{};
    }
    // Disk and key generation happen here, before anything is served, never on the socket
    // thread while it serves. Nothing is regenerated on a problem: a new certificate would
    // change the pin every app holds, so ternd stops and says which file is wrong.
    if (m_config.tlsAutoCertificate && QSslSocket::activeBackend() != QLatin1String("openssl"))
        return Error{ErrorCode::Internal,
                     QStringLiteral("TLS: Qt's %1 TLS backend cannot serve ternd's ECDSA key; "
                                    "install Qt's OpenSSL backend (and OpenSSL 3), or give an "
                                    "RSA pair with --tls-cert/--tls-key, or --no-tls behind a "
                                    "TLS proxy")
                         .arg(QSslSocket::activeBackend())};
    bool created = false;
    Result<QSslCertificate> certificate =
        m_config.tlsAutoCertificate
            ? tls::ServerCertificate::loadOrCreate(m_config.dataDir, m_config.serverName, &created)
            : tls::ServerCertificate::load(m_config.tlsCertFile, m_config.tlsKeyFile);
    if (!certificate)
        return Error{certificate.error().code, QStringLiteral("TLS: ") +
                                                   certificate.error().message +
                                                   QStringLiteral(" (ternd does not start)")};
    if (created)
        qCInfo(lcServer).noquote() << "made a new TLS certificate" << m_config.tlsCertFile;
    qCInfo(lcServer).noquote() << "TLS certificate" << m_config.tlsCertFile;
    for (const QString &line : tls::ServerCertificate::describe(*certificate).split(u'\n'))
        qCInfo(lcServer).noquote() << line;
    m_parts->fingerprintHex = fingerprint::hex(fingerprint::sha256(certificate->toDer()));
    return Ok{};
}

quint16 ServerApp::port() const
{
    return m_parts->ws ? m_parts->ws->port() : 0;
}

bool ServerApp::secure() const
{
    return m_parts->ws && m_parts->ws->secure();
}

int ServerApp::connectionCount() const
{
    return m_parts->ws ? m_parts->ws->connectionCount() : 0;
}

void ServerApp::shutdown()
{
    if (m_parts->stopping)
        return;
    m_parts->stopping = true;
    // Stop inviting apps before refusing them.
    if (m_parts->beacon)
        m_parts->beacon->stop();
    if (!m_parts->ws) {
        emit stopped();
        return;
    }
    qCInfo(lcServer) << "shutting down";
    m_parts->adminChannel->close();
    m_parts->ws->stopAccepting();
    m_parts->router->beginShutdown();
    // Every commit queued so far completes (and is acked) before sessions are closed.
    QPointer<ServerApp> self(this);
    continueOn(m_parts->store->flush(), this, [self](Status) {
        if (!self)
            return;
        // Let the acks of the last commits reach their sockets before the close frames.
        QTimer::singleShot(0, self, [self] {
            if (!self)
                return;
            auto finish = [self] {
                if (self && !self->m_parts->stopped) {
                    self->m_parts->stopped = true;
                    emit self->stopped();
                }
            };
            connect(self->m_parts->ws.get(), &net::WsServer::allClosed, self, finish);
            QTimer::singleShot(kShutdownCloseWaitMs, self, finish);
            self->m_parts->ws->closeAll(net::ws::CloseGoingAway,
                                        QStringLiteral("server shutting down"));
        });
    });
}

} // namespace tern::server
