#include "app/ui/MessageInfoDialog.h"

#include "app/client/ChatClient.h"
#include "app/client/GroupRequests.h"
#include "app/client/Inbox.h"
#include "app/models/UserDirectory.h"
#include "app/ui/MessageDelegate.h"
#include "app/ui/RequestErrorText.h"

#include <QDateTime>
#include <QDialogButtonBox>
#include <QEvent>
#include <QLabel>
#include <QListWidget>
#include <QPointer>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>

namespace tern::app::ui {

namespace {

QString when(qint64 ms)
{
    const QDateTime at = QDateTime::fromMSecsSinceEpoch(ms);
    const QDate today = QDate::currentDate();
    const QString time = MessageDelegate::shortTime(at.time());
    return at.date() == today
               ? time
               : MessageDelegate::dayLabel(at.date(), today) + QLatin1Char(' ') + time;
}

} // namespace

MessageInfoDialog::MessageInfoDialog(client::ChatClient *client, models::UserDirectory *users,
                                     const QString &conversation, qint64 seq,
                                     const QString &preview, QWidget *parent)
    : QDialog(parent), m_client(client), m_users(users), m_conversation(conversation), m_seq(seq),
      m_preview(new QLabel(this)), m_summary(new QLabel(this)), m_list(new QListWidget(this))
{
    setObjectName(QStringLiteral("messageInfoDialog"));
    m_preview->setObjectName(QStringLiteral("messageInfoPreview"));
    m_summary->setObjectName(QStringLiteral("readByLabel"));
    m_list->setObjectName(QStringLiteral("receiptList"));
    // The sender's words and member names: plain text only.
    m_preview->setTextFormat(Qt::PlainText);
    m_preview->setWordWrap(true);
    m_preview->setText(preview.left(300));
    m_summary->setTextFormat(Qt::PlainText);
    QFont bold = m_summary->font();
    bold.setBold(true);
    m_summary->setFont(bold);
    m_list->setSelectionMode(QAbstractItemView::NoSelection);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->button(QDialogButtonBox::Close)->setObjectName(QStringLiteral("closeButton"));
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_preview);
    layout->addWidget(m_summary);
    layout->addWidget(m_list, 1);
    layout->addWidget(buttons);

    connect(m_client->inbox(), &client::Inbox::receiptReceived, this,
            &MessageInfoDialog::onReceipt);
    if (m_users)
        connect(m_users, &models::UserDirectory::namesChanged, this, &MessageInfoDialog::render);
    retranslate();
    resize(fontMetrics().averageCharWidth() * 50, fontMetrics().height() * 22);
    load();
}

QCoro::Task<> MessageInfoDialog::load()
{
    QPointer<MessageInfoDialog> self(this);
    QCoro::Task<Result<QList<protocol::MemberReceipt>>> asking =
        m_client->groups()->receipts(m_conversation, m_seq);
    const Result<QList<protocol::MemberReceipt>> receipts = co_await asking;
    if (!self)
        co_return;
    m_loaded = true;
    if (!receipts) {
        m_error = RequestErrorText::describe(receipts.error());
    } else {
        QStringList unknown;
        for (const protocol::MemberReceipt &receipt : *receipts) {
            Member member = m_early.value(receipt.userId);
            member.read = member.read || receipt.read;
            member.delivered = member.delivered || receipt.delivered || member.read;
            // The server's times (groups, the last 30 days); a receipt seen meanwhile is newer.
            if (receipt.read && receipt.readTs && member.readTs == 0)
                member.readTs = *receipt.readTs;
            if (member.delivered && receipt.deliveredTs && member.deliveredTs == 0)
                member.deliveredTs = *receipt.deliveredTs;
            m_members.insert(receipt.userId, member);
            unknown.append(receipt.userId);
        }
        if (m_users)
            m_users->resolve(unknown);
    }
    m_early.clear();
    render();
    emit loaded();
}

void MessageInfoDialog::onReceipt(const protocol::ReceiptEvent &receipt)
{
    // A receipt is a watermark: it covers this message when it reaches its seq.
    if (receipt.conversation != m_conversation || receipt.seq < m_seq)
        return;
    const bool read = receipt.status == protocol::ReceiptStatus::Read;
    QHash<QString, Member> &into = m_loaded ? m_members : m_early;
    if (m_loaded && !into.contains(receipt.user))
        return; // not a member the answer named (we ourselves, on another device)
    Member &member = into[receipt.user];
    if (read && !member.read) {
        member.read = true;
        member.readTs = receipt.ts;
    }
    if (!member.delivered) {
        member.delivered = true;
        member.deliveredTs = receipt.ts;
    }
    if (m_loaded)
        render();
}

int MessageInfoDialog::readCount() const
{
    return int(std::count_if(m_members.cbegin(), m_members.cend(),
                             [](const Member &member) { return member.read; }));
}

QString MessageInfoDialog::summary() const
{
    if (!m_loaded)
        return QString();
    if (!m_error.isEmpty())
        return m_error;
    return tr("Read by %1 of %2").arg(readCount()).arg(memberCount());
}

void MessageInfoDialog::render()
{
    m_summary->setText(m_loaded ? summary() : tr("Loading…"));
    m_summary->setAccessibleName(m_summary->text());
    struct Line
    {
        int rank;
        QString name;
        QString text;
    };
    QList<Line> lines;
    for (auto it = m_members.cbegin(); it != m_members.cend(); ++it) {
        const Member &m = it.value();
        const QString name = m_users ? m_users->displayName(it.key()) : it.key();
        QString state;
        if (m.read && m.readTs > 0 && m.deliveredTs > 0 && when(m.deliveredTs) != when(m.readTs))
            state = tr("Read %1, delivered %2").arg(when(m.readTs), when(m.deliveredTs));
        else if (m.read)
            state = m.readTs > 0 ? tr("Read %1").arg(when(m.readTs)) : tr("Read");
        else if (m.delivered)
            state =
                m.deliveredTs > 0 ? tr("Delivered %1").arg(when(m.deliveredTs)) : tr("Delivered");
        else
            state = tr("Not delivered yet");
        lines.append({m.read        ? 0
                      : m.delivered ? 1
                                    : 2,
                      name, name + QStringLiteral(" — ") + state});
    }
    std::sort(lines.begin(), lines.end(), [](const Line &a, const Line &b) {
        return a.rank != b.rank ? a.rank < b.rank : QString::localeAwareCompare(a.name, b.name) < 0;
    });
    m_list->clear();
    for (const Line &line : std::as_const(lines)) {
        auto *item = new QListWidgetItem(line.text, m_list);
        item->setData(Qt::AccessibleTextRole, line.text);
    }
}

void MessageInfoDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QDialog::changeEvent(event);
}

void MessageInfoDialog::retranslate()
{
    setWindowTitle(tr("Message info"));
    setAccessibleName(tr("Message info"));
    m_list->setAccessibleName(tr("Who has read or received it"));
    render();
}

} // namespace tern::app::ui
