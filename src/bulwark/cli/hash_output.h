// The output formats of `bulwark hash`.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "bulwark/core/result.h"
#include "bulwark/hash/file_hasher.h"

namespace bulwark::cli {

enum class HashFormat {
  kText,   // human-readable, several lines per file
  kPdq,    // Meta's pdq-photo-hasher line: hash,quality,path
  kCsv,    // header path,pdq,quality,md5,sha1,sha256,width,height,error
  kJsonl,  // one JSON object per file
};

Result<HashFormat> ParseHashFormat(std::string_view text);

class HashWriter {
 public:
  HashWriter(std::ostream& out, HashFormat format, bool dihedral)
      : out_(out), format_(format), dihedral_(dihedral) {}

  void Begin();  // header line, where the format has one
  void Write(const std::string& path, const hash::FileHashes& h);

 private:
  void WriteText(const std::string& path, const hash::FileHashes& h);
  void WritePdq(const std::string& path, const hash::FileHashes& h);
  void WriteCsv(const std::string& path, const hash::FileHashes& h);
  void WriteJsonl(const std::string& path, const hash::FileHashes& h);

  std::ostream& out_;
  HashFormat format_;
  bool dihedral_;
};

}  // namespace bulwark::cli
