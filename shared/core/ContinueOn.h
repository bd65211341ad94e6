#pragma once

//! continueOn(future, context, fn): runs fn with the future's result on the context's thread,
//! or not at all when the context is gone by then.

// Why not `future.then(context, fn)`: Qt 6.4 (Debian 12) asserts in the continuation when the
// context was destroyed while the future ran ("ASSERT: context" in qfuture_impl.h), which a
// server stopped with a storage job in flight hit in CI. Here a Sync continuation only posts to
// the context thread's event dispatcher, which outlives every object on its thread, and the
// posted call checks the context there, on the thread that destroys it.

#include <QAbstractEventDispatcher>
#include <QFuture>
#include <QMetaObject>
#include <QObject>
#include <QPointer>
#include <QThread>

#include <type_traits>
#include <utility>

namespace tern {

template <typename T, typename Fn> void continueOn(QFuture<T> future, QObject *context, Fn fn)
{
    QPointer<QAbstractEventDispatcher> dispatcher =
        QAbstractEventDispatcher::instance(context->thread());
    QPointer<QObject> guard(context);
    future.then(QtFuture::Launch::Sync, [dispatcher, guard = std::move(guard),
                                         fn = std::move(fn)](const QFuture<T> &finished) mutable {
        if (!dispatcher)
            return;
        QMetaObject::invokeMethod(
            dispatcher.get(),
            [guard = std::move(guard), fn = std::move(fn), finished]() mutable {
                if (!guard)
                    return;
                if constexpr (std::is_void_v<T>)
                    fn();
                else
                    fn(finished.result());
            },
            Qt::QueuedConnection);
    });
}

} // namespace tern
