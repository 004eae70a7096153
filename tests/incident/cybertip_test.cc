// The CyberTipline draft: every required element with the incident's and
// the reporter's values, well-formed, and no content bytes.
#include "bulwark/incident/cybertip.h"

#include <expat.h>
#include <gtest/gtest.h>

#include <map>

#include "bulwark/core/base64.h"
#include "bulwark/core/clock.h"
#include "bulwark/detect/provenance_detector.h"
#include "incident/sample_incident.h"

namespace bulwark::incident {
namespace {

using testing::kSampleTimeMs;

Incident TestIncident() {
  Incident i;
  static_cast<NewIncident&>(i) = testing::SampleIncident();
  i.id = 42;
  i.account = "acct-<0001>&co";
  i.decisions.push_back(DecisionRecord{Decision::kConfirm, "checked",
                                       "reviewer-1", kSampleTimeMs + 5000});
  i.state = State::kConfirmed;
  i.has_evidence = true;
  return i;
}

CybertipOptions TestOptions() {
  CybertipOptions o;
  o.reporter.esp_name = "Example AI";
  o.reporter.contact_name = "Jane Q. Doe";
  o.reporter.email = "safety@example.com";
  o.reporter.phone = "+1 555 0100";
  return o;
}

// The text of the first element named `name`, and the chain of elements
// that lead to it ("cybertiplineDraft/report/..."), via expat.
struct Found {
  std::string path, text;
  std::map<std::string, std::string> attrs;
};
struct Walk {
  std::vector<std::string> stack;
  std::vector<Found> all;
};

std::vector<Found> Parse(const std::string& xml) {
  Walk w;
  XML_Parser p = XML_ParserCreate("UTF-8");
  XML_SetUserData(p, &w);
  XML_SetElementHandler(
      p,
      [](void* d, const XML_Char* name, const XML_Char** attrs) {
        auto* w = static_cast<Walk*>(d);
        w->stack.push_back(name);
        Found f;
        for (const auto& s : w->stack)
          f.path += (f.path.empty() ? "" : "/") + s;
        for (int i = 0; attrs[i]; i += 2) f.attrs[attrs[i]] = attrs[i + 1];
        w->all.push_back(f);
      },
      [](void* d, const XML_Char*) {
        static_cast<Walk*>(d)->stack.pop_back();
      });
  XML_SetCharacterDataHandler(p, [](void* d, const XML_Char* s, int len) {
    auto* w = static_cast<Walk*>(d);
    // Text belongs to the innermost open element, the last one started
    // with the same path.
    std::string path;
    for (const auto& e : w->stack) path += (path.empty() ? "" : "/") + e;
    for (auto it = w->all.rbegin(); it != w->all.rend(); ++it) {
      if (it->path == path) {
        it->text.append(s, len);
        break;
      }
    }
  });
  const bool ok = XML_Parse(p, xml.data(), static_cast<int>(xml.size()), 1) ==
                  XML_STATUS_OK;
  EXPECT_TRUE(ok) << XML_ErrorString(XML_GetErrorCode(p));
  XML_ParserFree(p);
  return w.all;
}

std::string TextOf(const std::vector<Found>& all, const std::string& path) {
  for (const Found& f : all) {
    if (f.path == path) return f.text;
  }
  return "<missing " + path + ">";
}

TEST(CybertipTest, DraftHasEveryRequiredElementWithValues) {
  auto xml = BuildCybertipXml(TestIncident(), TestOptions());
  ASSERT_TRUE(xml.ok()) << xml.error().ToString();
  EXPECT_TRUE(ValidateCybertipXml(*xml).empty());
  const auto all = Parse(*xml);
  const std::string r = "cybertiplineDraft/report/";
  EXPECT_EQ(TextOf(all, r + "incidentSummary/incidentType"),
            kChildPornographyIncident);
  EXPECT_EQ(TextOf(all, r + "incidentSummary/incidentDateTime"),
            FormatUtcMs(kSampleTimeMs));
  EXPECT_EQ(TextOf(all, r + "incidentSummary/platform"),
            "<missing " + r + "incidentSummary/platform>");  // not written
  const std::string person = r + "reporter/reportingPerson/";
  EXPECT_EQ(TextOf(all, person + "firstName"), "Jane Q.");
  EXPECT_EQ(TextOf(all, person + "lastName"), "Doe");
  EXPECT_EQ(TextOf(all, person + "email"), "safety@example.com");
  EXPECT_EQ(TextOf(all, person + "phone"), "+1 555 0100");
  // Escaped on the way out, intact on the way back.
  EXPECT_EQ(TextOf(all, r + "personOrUserReported/espIdentifier"),
            "acct-<0001>&co");
  EXPECT_EQ(TextOf(all, r + "personOrUserReported/espService"), "Example AI");
  const std::string info = TextOf(all, r + "additionalInfo");
  EXPECT_NE(info.find("incident 42"), std::string::npos);
  EXPECT_NE(info.find("bank 'test-bank'"), std::string::npos);
  EXPECT_NE(info.find("reviewer-1"), std::string::npos);

  const std::string file = "cybertiplineDraft/fileDetails/";
  EXPECT_EQ(TextOf(all, file + "fileAnnotations/generativeAi"), "");
  std::map<std::string, std::string> hashes;
  for (const Found& f : all) {
    if (f.path == file + "originalFileHash")
      hashes[f.attrs.at("hashType")] = f.text;
  }
  const NewIncident n = testing::SampleIncident();
  EXPECT_EQ(hashes["MD5"], n.hashes.md5);
  EXPECT_EQ(hashes["SHA1"], n.hashes.sha1);
  EXPECT_EQ(hashes["SHA256"], n.hashes.sha256);
}

TEST(CybertipTest, NoContentBytes) {
  // The content the incident came from, as the evidence would hold it.
  const std::string text = "lorem placeholder content 9e1b";
  const std::vector<uint8_t> media = {0xff, 0xd8, 0xff, 0xe0, 'J',  'F', 'I',
                                      'F',  0x00, 0x01, 0x02, 0x03, 0x04};
  auto xml = BuildCybertipXml(TestIncident(), TestOptions());
  ASSERT_TRUE(xml.ok());
  EXPECT_EQ(xml->find(text), std::string::npos);
  EXPECT_EQ(xml->find(std::string(media.begin(), media.end())),
            std::string::npos);
  EXPECT_EQ(xml->find(Base64Encode(media)), std::string::npos);
  EXPECT_EQ(xml->find("base64"), std::string::npos);
  // Reason lines (which may quote matched text) are left out too.
  EXPECT_EQ(xml->find("bank match in test-bank"), std::string::npos);
}

TEST(CybertipTest, InputsAreNotAnnotatedGenerative) {
  Incident i = TestIncident();
  i.direction = detect::Direction::kInput;
  auto xml = BuildCybertipXml(i, TestOptions());
  ASSERT_TRUE(xml.ok());
  EXPECT_EQ(xml->find("generativeAi"), std::string::npos);
  // Text only: no file, no fileDetails; the account is optional.
  i.hashes = ContentHashes{};
  i.hashes.text_sha256 = std::string(64, 'e');
  i.account.clear();
  xml = BuildCybertipXml(i, TestOptions());
  ASSERT_TRUE(xml.ok());
  EXPECT_TRUE(ValidateCybertipXml(*xml).empty());
  for (const Found& f : Parse(*xml)) {
    EXPECT_EQ(f.path.find("fileDetails"), std::string::npos) << f.path;
    EXPECT_EQ(f.path.find("personOrUserReported"), std::string::npos);
  }
  EXPECT_NE(xml->find(std::string(64, 'e')), std::string::npos);
}

TEST(CybertipTest, RefusesWhatCannotBeReported) {
  CybertipOptions no_email = TestOptions();
  no_email.reporter.email.clear();
  auto r = BuildCybertipXml(TestIncident(), no_email);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("email"), std::string::npos);

  Incident fp = TestIncident();
  fp.state = State::kFalsePositive;
  EXPECT_FALSE(BuildCybertipXml(fp, TestOptions()).ok());

  CybertipOptions bad_type = TestOptions();
  bad_type.incident_type = "Something Else";
  EXPECT_FALSE(BuildCybertipXml(TestIncident(), bad_type).ok());
}

TEST(CybertipTest, ValidatorNamesWhatIsMissingOrOutOfOrder) {
  auto problems = ValidateCybertipXml(
      "<cybertiplineDraft><report><reporter><reportingPerson><firstName>A"
      "</firstName></reportingPerson></reporter><incidentSummary>"
      "<incidentType>Child Sex Tourism</incidentType><incidentDateTime>"
      "yesterday</incidentDateTime></incidentSummary></report>"
      "</cybertiplineDraft>");
  auto has = [&](const std::string& s) {
    for (const auto& p : problems) {
      if (p.find(s) != std::string::npos) return true;
    }
    return false;
  };
  EXPECT_TRUE(has("reportingPerson/email is missing"));
  EXPECT_TRUE(has("incidentSummary is out of order"));
  EXPECT_TRUE(has("report/incidentSummary is missing"));
  EXPECT_TRUE(has("not an ISO 8601"));
  EXPECT_FALSE(ValidateCybertipXml("<cybertiplineDraft><report>").empty());
  EXPECT_FALSE(ValidateCybertipXml("<report/>").empty());
}

// An upload (input) whose C2PA manifest verified and declares it
// AI-generated carries the annotation; one whose manifest did not verify
// does not (the detector reports no ai_generated finding for it).
TEST(CybertipTest, UploadsDeclaredAiGeneratedByAVerifiedManifestAreAnnotated) {
  Incident i = TestIncident();
  i.direction = detect::Direction::kInput;
  Signal manifest;
  manifest.detector = "provenance";
  manifest.kind = detect::kProvenanceManifest;
  manifest.category = "valid";
  i.signals.push_back(manifest);
  EXPECT_FALSE(i.generative_ai());
  auto xml = BuildCybertipXml(i, TestOptions());
  ASSERT_TRUE(xml.ok());
  EXPECT_EQ(xml->find("generativeAi"), std::string::npos);

  Signal ai = manifest;
  ai.kind = detect::kProvenanceAiGenerated;
  i.signals.push_back(ai);
  EXPECT_TRUE(i.generative_ai());
  xml = BuildCybertipXml(i, TestOptions());
  ASSERT_TRUE(xml.ok());
  EXPECT_NE(xml->find("<generativeAi/>"), std::string::npos) << *xml;
  EXPECT_TRUE(ValidateCybertipXml(*xml).empty());
}

}  // namespace
}  // namespace bulwark::incident
