#include "MediaDownload.h"

#include "app/client/PinnedNetworkAccess.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QtConcurrent>

#include <qcoro/qcorofuture.h>
#include <qcoro/qcoronetworkreply.h>

namespace tern::app::client {

namespace {
struct PartState
{
    qint64 size = 0;
    bool complete = false;
    QString path; // the finished file when complete
};

PartState inspect(const QString &target, const QString &knownCopy)
{
    if (!knownCopy.isEmpty() && QFileInfo(knownCopy).isFile())
        return {QFileInfo(knownCopy).size(), true, knownCopy};
    if (QFileInfo::exists(target))
        return {QFileInfo(target).size(), true, target};
    QDir().mkpath(QFileInfo(target).path());
    return {QFileInfo(target + QStringLiteral(".part")).size(), false, {}};
}

Status writeAt(const QString &path, qint64 offset, const QByteArray &data)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadWrite) || !file.resize(offset) || !file.seek(offset) ||
        file.write(data) != data.size())
        return Error{ErrorCode::Internal, file.errorString()};
    return Ok{};
}

Status verifyAndMove(const QString &part, const QString &target, const QString &sha256)
{
    QFile file(part);
    if (!file.open(QIODevice::ReadOnly))
        return Error{ErrorCode::Internal, file.errorString()};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&file))
        return Error{ErrorCode::Internal, file.errorString()};
    file.close();
    if (!sha256.isEmpty() && QString::fromLatin1(hash.result().toHex()) != sha256) {
        QFile::remove(part);
        return Error{ErrorCode::BadRequest, QStringLiteral("the download is damaged (SHA-256)")};
    }
    QFile::remove(target);
    if (!QFile::rename(part, target))
        return Error{ErrorCode::Internal, QStringLiteral("cannot move the download into place")};
    return Ok{};
}
} // namespace

MediaDownload::MediaDownload(QNetworkAccessManager *http, QUrl apiBase, QString token,
                             QString mediaId, QString sha256, QString targetPath, QObject *parent)
    : QObject(parent), m_http(http), m_base(std::move(apiBase)), m_token(std::move(token)),
      m_mediaId(std::move(mediaId)), m_sha256(std::move(sha256)), m_target(std::move(targetPath))
{
    m_writer.setMaxThreadCount(1);
}

MediaDownload::~MediaDownload()
{
    // The reply belongs to the network manager: stop it, or it would run on without a reader.
    m_closing = true; // abort() may resume run() right here: it must stop at once
    if (m_reply) {
        m_reply->abort();
        m_reply->deleteLater();
    }
    m_writer.waitForDone();
}

void MediaDownload::start()
{
    run();
}

QCoro::Task<> MediaDownload::run()
{
    QPointer<MediaDownload> self(this);
    QFuture<PartState> inspecting = QtConcurrent::run(inspect, m_target, m_knownCopy);
    const PartState state = co_await inspecting;
    if (!self)
        co_return;
    if (state.complete) {
        emit finished(state.path);
        co_return;
    }
    const QString part = m_target + QStringLiteral(".part");
    QNetworkRequest request(m_base.resolved(QUrl(QStringLiteral("/api/v1/media/") + m_mediaId)));
    request.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
    request.setTransferTimeout(30'000);
    if (state.size > 0)
        request.setRawHeader("Range", "bytes=" + QByteArray::number(state.size) + '-');
    QNetworkReply *reply = m_http->get(request);
    m_reply = reply;
    auto position = std::make_shared<qint64>(-1);
    auto total = std::make_shared<qint64>(0);
    connect(reply, &QNetworkReply::readyRead, this, [this, reply, part, position, total, state] {
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status != 200 && status != 206)
            return;
        if (*position < 0) {
            // 206 continues the part; 200 is the whole file again.
            *position = status == 206 ? state.size : 0;
            *total = *position + reply->header(QNetworkRequest::ContentLengthHeader).toLongLong();
        }
        const QByteArray data = reply->readAll();
        const qint64 at = *position;
        *position += data.size();
        QFuture<Status> writing = QtConcurrent::run(&m_writer, writeAt, part, at, data);
        Q_UNUSED(writing);
        emit progress(*position, *total);
    });
    co_await reply;
    if (!self || m_closing)
        co_return;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QString networkError = PinnedNetworkAccess::errorText(reply);
    const bool cutShort = reply->error() != QNetworkReply::NoError;
    reply->deleteLater();
    if (status == 416) {
        // The part is as long as the file or longer (damaged): the next attempt starts over.
        QFuture<bool> dropping =
            QtConcurrent::run(&m_writer, [part] { return QFile::remove(part); });
        co_await dropping;
        if (!self)
            co_return;
    }
    if (status != 200 && status != 206) {
        const bool permanent = status == 404 || status == 403;
        emit failed(Error{status == 404 ? ErrorCode::NotFound : ErrorCode::Internal,
                          status == 0 ? networkError : QStringLiteral("HTTP %1").arg(status)},
                    permanent);
        co_return;
    }
    if (cutShort) {
        // The connection dropped mid-body: what arrived stays in the part for the next attempt.
        emit failed(Error{ErrorCode::Internal, networkError}, false);
        co_return;
    }
    // The writes queued on the one writer thread run before this check.
    QFuture<Status> checking =
        QtConcurrent::run(&m_writer, verifyAndMove, part, m_target, m_sha256);
    const Status checked = co_await checking;
    if (!self)
        co_return;
    if (!checked) {
        emit failed(checked.error(), false); // a damaged part is gone: a retry starts over
        co_return;
    }
    emit finished(m_target);
}

} // namespace tern::app::client
