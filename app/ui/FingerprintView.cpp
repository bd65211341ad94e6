#include "app/ui/FingerprintView.h"

#include "app/ui/Theme.h"
#include "shared/model/CertificateFingerprint.h"

#include <QApplication>
#include <QClipboard>
#include <QEvent>
#include <QFontDatabase>
#include <QGridLayout>
#include <QLabel>
#include <QPushButton>
#include <QSslCertificate>

namespace tern::app::ui {

FingerprintView::FingerprintView(const QString &name, QWidget *parent)
    : QWidget(parent), m_grouped(new QLabel(this)), m_hex(new QLabel(this)),
      m_copy(new QPushButton(this)), m_details(new QPushButton(this))
{
    setObjectName(name);
    m_grouped->setObjectName(name + QStringLiteral("Label"));
    m_hex->setObjectName(name + QStringLiteral("Hex"));
    m_copy->setObjectName(name + QStringLiteral("CopyButton"));
    m_details->setObjectName(name + QStringLiteral("DetailsButton"));
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    mono.setPointSizeF(font().pointSizeF());
    for (QLabel *label : {m_grouped, m_hex}) {
        // Never rich text: it is ours, but formatted from bytes the network sent.
        label->setTextFormat(Qt::PlainText);
        label->setFont(mono);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
        label->setFocusPolicy(Qt::StrongFocus); // reachable with Tab, to select and hear it
        // Two lines, each kept whole (setCertificate); wrapping lets layouts ask the height.
        label->setWordWrap(true);
    }
    QFont groupedFont = mono;
    groupedFont.setPointSizeF(mono.pointSizeF() * 1.15);
    m_grouped->setFont(groupedFont);
    QPalette secondary = m_hex->palette();
    secondary.setColor(QPalette::WindowText, Theme::secondaryText(secondary));
    m_hex->setPalette(secondary);
    m_hex->hide();
    m_details->setCheckable(true);
    m_details->setFlat(true);

    auto *layout = new QGridLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_grouped, 0, 0, 2, 1);
    layout->addWidget(m_copy, 0, 1);
    layout->addWidget(m_details, 1, 1);
    layout->addWidget(m_hex, 2, 0, 1, 2);
    layout->setColumnStretch(0, 1);

    connect(m_copy, &QPushButton::clicked, this, [this] {
        if (!m_digest.isEmpty())
            QApplication::clipboard()->setText(grouped());
    });
    connect(m_details, &QPushButton::toggled, m_hex, &QWidget::setVisible);
    m_label = tr("Fingerprint");
    retranslate();
}

QString FingerprintView::groupedTwoLines(const QByteArray &digest)
{
    // Eight groups of seven: four a line, each line still ends a group.
    QStringList groups = fingerprint::grouped(digest).split(QLatin1Char('-'));
    if (groups.size() != 8)
        return groups.join(QLatin1Char('-'));
    return groups.mid(0, 4).join(QLatin1Char('-')) + QStringLiteral("-\n") +
           groups.mid(4).join(QLatin1Char('-'));
}

QString FingerprintView::hexTwoLines(const QByteArray &digest)
{
    if (digest.size() != 32)
        return fingerprint::hex(digest);
    return fingerprint::hex(digest.left(16)) + QStringLiteral(":\n") +
           fingerprint::hex(digest.mid(16));
}

void FingerprintView::setCertificate(const QSslCertificate &certificate)
{
    m_digest = certificate.isNull() ? QByteArray() : fingerprint::sha256(certificate.toDer());
    m_grouped->setText(m_digest.isEmpty() ? QString() : groupedTwoLines(m_digest));
    m_hex->setText(m_digest.isEmpty() ? QString() : hexTwoLines(m_digest));
    m_copy->setEnabled(!m_digest.isEmpty());
    // Each line whole: a group broken over two lines is hard to compare.
    for (QLabel *label : {m_grouped, m_hex}) {
        int widest = 0;
        for (const QString &line : label->text().split(QLatin1Char('\n')))
            widest = qMax(widest, label->fontMetrics().horizontalAdvance(line));
        const QMargins margins = label->contentsMargins();
        label->setMinimumWidth(widest + margins.left() + margins.right() + 1);
    }
    retranslate();
}

QString FingerprintView::grouped() const
{
    return m_digest.isEmpty() ? QString() : fingerprint::grouped(m_digest);
}

void FingerprintView::setAccessibleLabel(const QString &label)
{
    m_label = label;
    retranslate();
}

void FingerprintView::retranslate()
{
    m_copy->setText(tr("&Copy"));
    m_copy->setAccessibleName(tr("Copy the fingerprint"));
    m_details->setText(tr("&Details"));
    m_details->setAccessibleName(tr("Show the fingerprint in OpenSSL's form"));
    // A screen reader spells the groups; the label says what they are.
    m_grouped->setAccessibleName(m_label + QStringLiteral(": ") + grouped());
    m_hex->setAccessibleName(
        tr("%1 in OpenSSL's form: %2")
            .arg(m_label, m_digest.isEmpty() ? QString() : fingerprint::hex(m_digest)));
}

void FingerprintView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

} // namespace tern::app::ui
