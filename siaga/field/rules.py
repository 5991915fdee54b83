"""The PAM TPS buku saku: what an officer at a TPS does and does not do, shown on "TPS saya".

Wording summarised from published Polres briefings and buku saku extracts (Pemilu 2019 and 2024, Pilkada 2024):
- stay outside the TPS, enter only at the KPPS's request or in an emergency; no firearms at the TPS:
  ulasan.co (Polres Karimun, Pilkada 2024), sultengraya.com (Polres Parigi Moutong, Pemilu 2024),
  sindomakassar.com (Pilkada 2024), harianmerapi.com (2019);
- no recording of vote results, do not influence voters; report in stages to the Padal; what to do when
  ballots are destroyed: gosulsel.com (2018), harianmuba.bacakoran.co (Pemilu 2024, "10 pedoman");
- leaving one TPS to check another: ask the KPPS/Linmas and leave a phone number; write the task report:
  sultengraya.com (Pemilu 2024).
A Polres may give its own buku saku: these lines are a summary, not a regulation.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

BUKU_SAKU = {
    "always": [
        _("Berjaga di luar area TPS. Masuk hanya bila diminta KPPS atau dalam keadaan darurat."),
        _("Tidak membawa senjata api ke TPS; bawa tongkat dan borgol. Seragam PDL."),
        _(
            "Tidak merekam atau memotret hasil suara, tidak mempengaruhi pemilih, tidak berfoto dengan calon atau atributnya."
        ),
        _("Tidak meninggalkan TPS sebelum penghitungan suara selesai."),
        _("Dokumentasi situasi TPS sebelum, saat dan sesudah pemungutan hanya untuk keperluan dinas."),
    ],
    "when": [
        (
            _("Tiba di TPS"),
            _('Tekan "Tiba di TPS", kenali Ketua KPPS, Linmas dan PTPS, catat nomor telepon mereka.'),
        ),
        (
            _("Memeriksa TPS lain"),
            _("Pamit kepada KPPS/Linmas dan tinggalkan nomor telepon Anda sebelum pergi."),
        ),
        (
            _("Keributan atau massa"),
            _(
                "Amankan KPPS, saksi dan kotak suara; laporkan segera ke Padal dan Polsek; kirim laporan kejadian."
            ),
        ),
        (
            _("Surat suara dirusak atau dibakar"),
            _(
                "Dokumentasikan untuk penegakan hukum, amankan KPPS dan saksi, laporkan berjenjang ke Kapolsek/Kapolres."
            ),
        ),
        (
            _("Selesai penghitungan"),
            _("Kawal kotak suara ke PPS/PPK bila ditugaskan; buat laporan hasil pelaksanaan tugas."),
        ),
    ],
}
