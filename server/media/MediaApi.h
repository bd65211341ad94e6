#pragma once

// The HTTP API for media on ternd's port (docs/protocol.md, "Media"): health, create an upload,
// append chunks, ask where to resume, finish (size and SHA-256 checked), cancel, download with
// Range. Also sweeps incomplete uploads nobody touched within the configured time.
// Lives on the socket thread; its coroutines re-check `this` and the connection after every
// suspension.

#include "server/config/ServerConfig.h"
#include "server/http/HttpConnection.h"
#include "server/store/StoreTypes.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>

#include <qcoro/qcorotask.h>

namespace tern::server::store {
class Store;
}
namespace tern::server::auth {
class AuthService;
}

namespace tern::server::media {

class MediaFiles;
class UploadReceiver;

class MediaApi : public QObject, public http::HttpHandler
{
    Q_OBJECT
public:
    MediaApi(store::Store &store, auth::AuthService &auth, const ServerConfig &config,
             QObject *parent = nullptr);
    ~MediaApi() override;

    void serve(http::HttpConnection *connection) override;
    //! Starts the periodic sweep of abandoned uploads (and runs one now).
    void startSweeping();
    //! One sweep; completes when done (tests call it directly).
    QCoro::Task<int> sweepNow();
    //! Removes the files of media whose records a delete removed (after its commit).
    QCoro::Task<> forgetFiles(QStringList ids);

private:
    QCoro::Task<> handle(http::HttpConnection *connection);
    QCoro::Task<> create(http::HttpConnection *connection, store::DeviceSession session,
                         QByteArray body);
    QCoro::Task<> upload(http::HttpConnection *connection, store::DeviceSession session,
                         QString id);
    QCoro::Task<> uploadState(http::HttpConnection *connection, store::DeviceSession session,
                              QString id);
    QCoro::Task<> finish(http::HttpConnection *connection, store::DeviceSession session,
                         QString id);
    QCoro::Task<> cancel(http::HttpConnection *connection, store::DeviceSession session,
                         QString id);
    QCoro::Task<> download(http::HttpConnection *connection, store::DeviceSession session,
                           QString id);
    //! The upload's record if `session` made it and it exists; else answers 404 and nullopt.
    QCoro::Task<std::optional<store::MediaRecord>>
    ownUpload(http::HttpConnection *connection, store::DeviceSession session, QString id);
    QCoro::Task<> discard(QString id);
    qint64 limitFor(const QString &mime) const;
    static protocol::StoredMedia mediaObject(const store::MediaRecord &record);

    store::Store &m_store;
    auth::AuthService &m_auth;
    ServerConfig m_config;
    std::unique_ptr<MediaFiles> m_files;
    QHash<QString, QPointer<UploadReceiver>> m_activeUploads;
    QTimer m_sweep;
};

} // namespace tern::server::media
