#include "app/ui/FingerprintCheck.h"

#include "app/ui/Theme.h"
#include "shared/model/CertificateFingerprint.h"

#include <QEvent>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

namespace tern::app::ui {

namespace {
// A pasted fingerprint is at most a few hundred characters; more is not one.
constexpr int kMaxPasteChars = 400;
} // namespace

FingerprintCheck::FingerprintCheck(const QString &name, QWidget *parent)
    : QWidget(parent), m_label(new QLabel(this)), m_edit(new QLineEdit(this)),
      m_result(new QLabel(this))
{
    setObjectName(name);
    m_edit->setObjectName(name + QStringLiteral("Edit"));
    m_result->setObjectName(name + QStringLiteral("Result"));
    m_edit->setMaxLength(kMaxPasteChars);
    m_edit->setClearButtonEnabled(false);
    m_label->setTextFormat(Qt::PlainText);
    m_label->setWordWrap(true);
    m_label->setBuddy(m_edit);
    m_result->setTextFormat(Qt::PlainText);
    m_result->setWordWrap(true);
    m_result->hide();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_label);
    layout->addWidget(m_edit);
    layout->addWidget(m_result);
    connect(m_edit, &QLineEdit::textChanged, this, &FingerprintCheck::update);
    update();
}

void FingerprintCheck::setExpected(const QByteArray &digest)
{
    m_expected = digest;
    update();
}

void FingerprintCheck::setLabel(const QString &text)
{
    m_label->setText(text);
    m_edit->setAccessibleName(text);
}

QString FingerprintCheck::resultText() const
{
    return m_result->isHidden() ? QString() : m_result->text();
}

void FingerprintCheck::update()
{
    const QString text = m_edit->text().trimmed();
    const std::optional<QByteArray> parsed = fingerprint::parse(text);
    State state = State::Empty;
    if (text.isEmpty())
        state = State::Empty;
    else if (!parsed)
        state = State::Incomplete;
    else
        state =
            *parsed == m_expected && !m_expected.isEmpty() ? State::Matches : State::DoesNotMatch;
    QPalette palette = m_result->palette();
    const QColor background = palette.color(QPalette::Window);
    QString message;
    QColor color = palette.color(QPalette::WindowText);
    switch (state) {
    case State::Empty:
        break;
    case State::Incomplete:
        message = tr("Not a complete fingerprint yet: paste all of it (either form).");
        break;
    case State::Matches:
        //: The check mark is decoration; the words carry the meaning.
        message = tr("✓ Matches: this is the fingerprint the server presents.");
        color = Theme::withContrast(Theme::onlineColor(), background, Theme::kTextContrast);
        break;
    case State::DoesNotMatch:
        message = tr("✗ Does not match: the server presents a different fingerprint. Do not "
                     "go on; ask your admin.");
        color = Theme::errorColor(palette);
        break;
    }
    palette.setColor(QPalette::WindowText, color);
    m_result->setPalette(palette);
    m_result->setText(message);
    m_result->setAccessibleName(message);
    m_result->setVisible(!message.isEmpty());
    if (state != m_state) {
        m_state = state;
        emit stateChanged(state);
    }
}

void FingerprintCheck::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        update();
    QWidget::changeEvent(event);
}

} // namespace tern::app::ui
