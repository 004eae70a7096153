#include "bulwark/cli/hash_output.h"

#include "bulwark/core/text_escape.h"

namespace bulwark::cli {
namespace {

std::string DihedralList(const hash::PdqResult& pdq, char sep) {
  std::string out;
  for (int d = 0; d < hash::kDihedralCount; ++d) {
    if (d > 0) out += sep;
    out += (*pdq.dihedral)[d].ToHex();
  }
  return out;
}

}  // namespace

Result<HashFormat> ParseHashFormat(std::string_view text) {
  if (text == "text") return HashFormat::kText;
  if (text == "pdq") return HashFormat::kPdq;
  if (text == "csv") return HashFormat::kCsv;
  if (text == "jsonl") return HashFormat::kJsonl;
  return MakeError(ErrorCode::kInvalidArgument,
                   "unknown format '" + std::string(text) +
                       "' (expected text, pdq, csv or jsonl)");
}

void HashWriter::Begin() {
  if (format_ != HashFormat::kCsv) return;
  out_ << "path,pdq,quality,md5,sha1,sha256,width,height,error";
  if (dihedral_) {
    for (int d = 0; d < hash::kDihedralCount; ++d) {
      out_ << ",pdq_" << hash::DihedralName(static_cast<hash::Dihedral>(d));
    }
  }
  out_ << '\n';
}

void HashWriter::Write(const std::string& path, const hash::FileHashes& h) {
  switch (format_) {
    case HashFormat::kText:
      WriteText(path, h);
      break;
    case HashFormat::kPdq:
      WritePdq(path, h);
      break;
    case HashFormat::kCsv:
      WriteCsv(path, h);
      break;
    case HashFormat::kJsonl:
      WriteJsonl(path, h);
      break;
  }
}

void HashWriter::WriteText(const std::string& path, const hash::FileHashes& h) {
  out_ << path;
  if (h.image) {
    out_ << "  (" << media::ImageFormatName(h.image->format) << ' '
         << h.image->width << 'x' << h.image->height;
    if (h.image->orientation != media::Orientation::kTopLeft) {
      out_ << ", EXIF orientation " << static_cast<int>(h.image->orientation);
    }
    out_ << ')';
  }
  out_ << '\n';
  if (h.pdq) {
    out_ << "  pdq     " << h.pdq->hash.ToHex() << "  quality "
         << h.pdq->quality;
    if (!h.pdq->reliable()) out_ << " (unreliable: below 50)";
    out_ << '\n';
    if (h.pdq->dihedral) {
      for (int d = 1; d < hash::kDihedralCount; ++d) {
        std::string name = hash::DihedralName(static_cast<hash::Dihedral>(d));
        name.resize(10, ' ');
        out_ << "  " << name << (*h.pdq->dihedral)[d].ToHex() << '\n';
      }
    }
  }
  if (h.md5) out_ << "  md5     " << *h.md5 << '\n';
  if (h.sha1) out_ << "  sha1    " << *h.sha1 << '\n';
  if (h.sha256) out_ << "  sha256  " << *h.sha256 << '\n';
  if (h.error) out_ << "  error   " << h.error->ToString() << '\n';
}

void HashWriter::WritePdq(const std::string& path, const hash::FileHashes& h) {
  if (!h.pdq) return;  // The error goes to stderr, as the reference does.
  if (dihedral_) {
    out_ << DihedralList(*h.pdq, ',');
  } else {
    out_ << h.pdq->hash.ToHex();
  }
  out_ << ',' << h.pdq->quality << ',' << path << '\n';
}

void HashWriter::WriteCsv(const std::string& path, const hash::FileHashes& h) {
  out_ << CsvField(path) << ',';
  if (h.pdq)
    out_ << h.pdq->hash.ToHex() << ',' << h.pdq->quality;
  else
    out_ << ',';
  out_ << ',' << h.md5.value_or("") << ',' << h.sha1.value_or("") << ','
       << h.sha256.value_or("") << ',';
  if (h.image)
    out_ << h.image->width << ',' << h.image->height;
  else
    out_ << ',';
  out_ << ',' << (h.error ? CsvField(h.error->ToString()) : "");
  if (dihedral_) {
    out_ << ',';
    if (h.pdq && h.pdq->dihedral)
      out_ << DihedralList(*h.pdq, ',');
    else
      out_ << std::string(hash::kDihedralCount - 1, ',');
  }
  out_ << '\n';
}

void HashWriter::WriteJsonl(const std::string& path,
                            const hash::FileHashes& h) {
  out_ << "{\"path\":" << JsonQuote(path);
  if (h.pdq) {
    out_ << ",\"pdq\":\"" << h.pdq->hash.ToHex()
         << "\",\"quality\":" << h.pdq->quality
         << ",\"reliable\":" << (h.pdq->reliable() ? "true" : "false");
    if (h.pdq->dihedral) {
      out_ << ",\"dihedral\":{";
      for (int d = 0; d < hash::kDihedralCount; ++d) {
        out_ << (d ? "," : "") << '"'
             << hash::DihedralName(static_cast<hash::Dihedral>(d)) << "\":\""
             << (*h.pdq->dihedral)[d].ToHex() << '"';
      }
      out_ << '}';
    }
  }
  if (h.md5) out_ << ",\"md5\":\"" << *h.md5 << '"';
  if (h.sha1) out_ << ",\"sha1\":\"" << *h.sha1 << '"';
  if (h.sha256) out_ << ",\"sha256\":\"" << *h.sha256 << '"';
  if (h.image) {
    out_ << ",\"format\":\"" << media::ImageFormatName(h.image->format)
         << "\",\"width\":" << h.image->width
         << ",\"height\":" << h.image->height
         << ",\"exif_orientation\":" << static_cast<int>(h.image->orientation);
  }
  if (h.error) {
    out_ << ",\"error\":" << JsonQuote(h.error->message) << ",\"error_code\":\""
         << ErrorCodeName(h.error->code) << '"';
  }
  out_ << "}\n";
}

}  // namespace bulwark::cli
