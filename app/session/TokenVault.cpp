#include "app/session/TokenVault.h"

#include <QFuture>
#include <QLoggingCategory>
#include <QPointer>
#include <QPromise>
#include <QTimer>

#include <qcoro/qcorofuture.h>

#include <memory>

#ifdef TERN_HAVE_KEYCHAIN
#include <qt6keychain/keychain.h>
#endif

namespace tern::app::session {

namespace {

Q_LOGGING_CATEGORY(lcVault, "tern.vault")

enum class Op { Read, Write, Remove };

//! What a finished keychain job reported (copied out: the job deletes itself).
struct JobOutcome
{
    bool finished = false; // false: timed out or destroyed unfinished
    int error = 0;         // QKeychain::Error
    QString errorString;
    QString text;
};

Error unavailableError()
{
    return makeError(ErrorCode::Internal, QStringLiteral("no keychain available"));
}

#ifdef TERN_HAVE_KEYCHAIN

//! Starts `job` and returns a future that completes exactly once: on finished(), on the
//! timeout, or when the job is destroyed unfinished (its parent, the vault, went away).
QFuture<JobOutcome> runJob(QKeychain::Job *job, int timeoutMs)
{
    auto promise = std::make_shared<QPromise<JobOutcome>>();
    auto done = std::make_shared<bool>(false);
    QFuture<JobOutcome> future = promise->future();
    promise->start();
    const auto complete = [promise, done](JobOutcome outcome) {
        if (*done)
            return;
        *done = true;
        promise->addResult(std::move(outcome));
        promise->finish();
    };

    QObject::connect(job, &QKeychain::Job::finished, job, [complete](QKeychain::Job *finished) {
        JobOutcome outcome;
        outcome.finished = true;
        outcome.error = finished->error();
        outcome.errorString = finished->errorString();
        if (auto *read = qobject_cast<QKeychain::ReadPasswordJob *>(finished))
            outcome.text = read->textData();
        complete(std::move(outcome));
    });
    QObject::connect(job, &QObject::destroyed, [complete] {
        JobOutcome outcome;
        outcome.errorString = QStringLiteral("keychain job destroyed");
        complete(std::move(outcome));
    });
    // Context = the job: a job that finished (and deleted itself) never times out.
    QTimer::singleShot(timeoutMs, job, [complete, timeoutMs] {
        JobOutcome outcome;
        outcome.errorString = QStringLiteral("keychain did not answer within %1 ms").arg(timeoutMs);
        complete(std::move(outcome));
    });
    job->start();
    return future;
}

QKeychain::Job *makeJob(Op op, const QString &key, const QString &token, QObject *parent)
{
    QKeychain::Job *job = nullptr;
    switch (op) {
    case Op::Read:
        job = new QKeychain::ReadPasswordJob(TokenVault::kService, parent);
        break;
    case Op::Write: {
        auto *write = new QKeychain::WritePasswordJob(TokenVault::kService, parent);
        write->setTextData(token);
        job = write;
        break;
    }
    case Op::Remove:
        job = new QKeychain::DeletePasswordJob(TokenVault::kService, parent);
        break;
    }
    job->setKey(key);
    job->setAutoDelete(true);
    // Never fall back to a plain-text file: the cache would be no worse and no better.
    job->setInsecureFallback(false);
    return job;
}

#endif // TERN_HAVE_KEYCHAIN

} // namespace

const QString TokenVault::kService = QStringLiteral("Tern");

TokenVault::TokenVault(QObject *parent) : QObject(parent)
{
#ifdef TERN_HAVE_KEYCHAIN
    m_available = qEnvironmentVariable("TERN_NO_KEYCHAIN") != QLatin1String("1");
#endif
}

TokenVault::~TokenVault() = default;

void TokenVault::markUnavailable(const QString &why)
{
    if (!m_available)
        return;
    qCWarning(lcVault).noquote() << "keychain unavailable, falling back:" << why;
    m_available = false;
    emit keychainAvailableChanged(false);
}

QCoro::Task<Result<QString>> TokenVault::read(QString key)
{
#ifdef TERN_HAVE_KEYCHAIN
    if (!m_available)
        co_return unavailableError();
    QPointer<TokenVault> self(this);
    QFuture<JobOutcome> future = runJob(makeJob(Op::Read, key, {}, this), kJobTimeoutMs);
    const JobOutcome outcome = co_await future;
    if (!self)
        co_return makeError(ErrorCode::Internal, QStringLiteral("token vault destroyed"));
    if (outcome.finished && outcome.error == QKeychain::NoError)
        co_return outcome.text;
    if (outcome.finished && outcome.error == QKeychain::EntryNotFound)
        co_return makeError(ErrorCode::NotFound, QStringLiteral("no token stored"));
    if (!outcome.finished || outcome.error == QKeychain::NoBackendAvailable ||
        outcome.error == QKeychain::OtherError)
        markUnavailable(outcome.errorString);
    co_return makeError(ErrorCode::Internal, outcome.errorString);
#else
    Q_UNUSED(key);
    co_return unavailableError();
#endif
}

QCoro::Task<Status> TokenVault::write(QString key, QString token)
{
#ifdef TERN_HAVE_KEYCHAIN
    if (!m_available)
        co_return unavailableError();
    QPointer<TokenVault> self(this);
    QFuture<JobOutcome> future = runJob(makeJob(Op::Write, key, token, this), kJobTimeoutMs);
    const JobOutcome outcome = co_await future;
    if (!self)
        co_return makeError(ErrorCode::Internal, QStringLiteral("token vault destroyed"));
    if (outcome.finished && outcome.error == QKeychain::NoError)
        co_return Ok{};
    if (!outcome.finished || outcome.error == QKeychain::NoBackendAvailable ||
        outcome.error == QKeychain::OtherError)
        markUnavailable(outcome.errorString);
    co_return makeError(ErrorCode::Internal, outcome.errorString);
#else
    Q_UNUSED(key);
    Q_UNUSED(token);
    co_return unavailableError();
#endif
}

QCoro::Task<Status> TokenVault::remove(QString key)
{
#ifdef TERN_HAVE_KEYCHAIN
    if (!m_available)
        co_return unavailableError();
    QPointer<TokenVault> self(this);
    QFuture<JobOutcome> future = runJob(makeJob(Op::Remove, key, {}, this), kJobTimeoutMs);
    const JobOutcome outcome = co_await future;
    if (!self)
        co_return makeError(ErrorCode::Internal, QStringLiteral("token vault destroyed"));
    if (outcome.finished &&
        (outcome.error == QKeychain::NoError || outcome.error == QKeychain::EntryNotFound))
        co_return Ok{};
    if (!outcome.finished || outcome.error == QKeychain::NoBackendAvailable ||
        outcome.error == QKeychain::OtherError)
        markUnavailable(outcome.errorString);
    co_return makeError(ErrorCode::Internal, outcome.errorString);
#else
    Q_UNUSED(key);
    co_return unavailableError();
#endif
}

} // namespace tern::app::session
