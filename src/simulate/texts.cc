#include "simulate/texts.h"

#include <array>
#include <cmath>
#include <utility>

namespace tilsyn::simulate {
namespace {

constexpr std::array<std::string_view, static_cast<size_t>(Text::kCount)> kTexts = {
    "",
    "Afdækning viste ikke behov for særlig støtte; forældrene samarbejder med skolen",
    "Afklarende samtale med forældrene og barnet; ingen bekymring for barnets trivsel",
    "Familien er henvist til kommunens åbne, anonyme rådgivning",
    "Forældrene har selv taget imod kommunens forældrekursus; ingen behov for særlig støtte",
    "Bekymringen er afklaret med dagtilbud og skole, som fortsat følger barnet",
    "Anonym underretning; afklarende kontakt til skolen og forældrene viser ingen bekymring",
    "Undersøgelsen viste ikke behov for særlig støtte; barnet trives i dagtilbud og skole",
    "Undersøgelsen er afsluttet; familien får støtte i almene tilbud (sundhedspleje og PPR)",
    "Afslag på støtte; familien er henvist til almene tilbud",
    "Familien er flyttet til en anden kommune; sagen er overdraget til den nye handlekommune",
    "Indsatsen har nået sit formål; forældrene magter omsorgen",
    "Målene i barnets plan er nået; familien har ikke længere behov for støtte",
    "Barnet er hjemgivet og trives; ingen behov for yderligere støtte",
    "Den unge trives i skole og fritid og ønsker ikke længere støtte",
    "Fyldt 18 år; ungestøtte er bevilget, og sagen overgår til Ungeindsatsen",
    "Fyldt 18 år; den unge har takket nej til ungestøtte",
    "Barnet er under 1 år; barnets perspektiv belyst ved observation i hjemmet",
    "Barnet er 1 år og uden sprog; barnets perspektiv belyst ved observation i hjemmet og i "
    "dagtilbuddet",
    "Barnet er 2 år; barnets perspektiv belyst ved observation og gennem forældrene og "
    "dagtilbuddet",
    "Barnet er under 1 år; barnets situation belyst ved observation",
    "Barnet er 1 år og uden sprog; barnets trivsel belyst gennem forældrene og dagtilbuddet",
    "Barnet er 2 år; barnets trivsel belyst gennem forældrene, dagtilbuddet og familiebehandleren",
    "Barnet er under 1 år; tilsyn ved observation af barnet og plejeforældrenes omsorg",
    "Barnet er 1 år; tilsyn ved observation af leg og samspil",
    "Barnet er 2 år; tilsyn ved observation og samtale med plejeforældrene",
    "Den unge ønskede ikke at deltage i en samtale; forsøgt to gange, jf. notat",
    "Barnet var indlagt og kunne ikke deltage i en samtale før afgørelsen; barnets perspektiv er "
    "belyst gennem personalet, jf. notat",
    "Fristen er fraveget: undersøgelsen afventer en børnepsykiatrisk udredning, jf. notat og "
    "aftale med forældrene",
    "Opfølgningen er udskudt, fordi den unge er på efterskoleophold i udlandet; aftalt med lederen",
    "Barnet bor hos slægtninge i udlandet; tilsynet varetages af de lokale myndigheder efter "
    "aftale",
    "Dobbeltregistrering",
    "Fejlregistrering: ophøret hørte til en anden foranstaltning; indsatsen fortsætter",
};

// Most caseworkers are women; the lists are common Danish names of people of working age, with a
// share of names of other origins, as in any Danish workplace.
constexpr std::array<std::string_view, 60> kWomen = {
    "Anne",    "Kirsten",  "Mette",  "Hanne",   "Helle",    "Anna",     "Susanne",   "Lene",
    "Maria",   "Marianne", "Lone",   "Camilla", "Pia",      "Louise",   "Charlotte", "Tina",
    "Gitte",   "Bente",    "Karen",  "Julie",   "Jette",    "Sofie",    "Christina", "Line",
    "Ida",     "Maja",     "Stine",  "Signe",   "Birgitte", "Katrine",  "Nadia",     "Malene",
    "Trine",   "Rikke",    "Mia",    "Heidi",   "Dorthe",   "Anja",     "Tanja",     "Marie",
    "Cecilie", "Laura",    "Sara",   "Emma",    "Josefine", "Caroline", "Karina",    "Sanne",
    "Vibeke",  "Nanna",    "Astrid", "Lærke",   "Mathilde", "Amalie",   "Simone",    "Janne",
    "Lise",    "Pernille", "Ditte",  "Sidsel"};
constexpr std::array<std::string_view, 30> kMen = {
    "Lars",  "Jens",      "Peter",  "Michael", "Henrik",   "Thomas",  "Søren",  "Jan",
    "Niels", "Christian", "Martin", "Rasmus",  "Jesper",   "Morten",  "Anders", "Mads",
    "Jonas", "Kasper",    "Mikkel", "Jakob",   "Frederik", "Emil",    "Simon",  "Nikolaj",
    "Kim",   "Brian",     "Allan",  "Ole",     "Torben",   "Kristian"};
constexpr std::array<std::string_view, 20> kMiddle = {
    "Kjær", "Bach", "Lund", "Holm",     "Dahl",     "Skov",    "Juul", "Krogh", "Brandt", "Friis",
    "Bech", "Toft", "Ravn", "Damgaard", "Højgaard", "Vinther", "Hald", "Bruun", "Lykke",  "Storm"};
// In order of frequency in Denmark; drawn with weights falling with rank, as surnames are spread.
constexpr std::array<std::string_view, 90> kLast = {
    "Nielsen",     "Jensen",      "Hansen",      "Pedersen",     "Andersen",       "Christensen",
    "Larsen",      "Sørensen",    "Rasmussen",   "Jørgensen",    "Petersen",       "Madsen",
    "Kristensen",  "Olsen",       "Thomsen",     "Christiansen", "Poulsen",        "Johansen",
    "Møller",      "Mortensen",   "Knudsen",     "Jakobsen",     "Jacobsen",       "Mikkelsen",
    "Olesen",      "Frederiksen", "Laursen",     "Henriksen",    "Lund",           "Schmidt",
    "Eriksen",     "Holm",        "Kristiansen", "Clausen",      "Simonsen",       "Svendsen",
    "Andreasen",   "Iversen",     "Jeppesen",    "Mogensen",     "Jespersen",      "Nissen",
    "Lauridsen",   "Frandsen",    "Østergaard",  "Jepsen",       "Kjær",           "Carlsen",
    "Vestergaard", "Jessen",      "Nørgaard",    "Dahl",         "Christoffersen", "Skov",
    "Søndergaard", "Bertelsen",   "Bruun",       "Lassen",       "Bach",           "Gregersen",
    "Friis",       "Johnsen",     "Steffensen",  "Kjeldsen",     "Bech",           "Krogh",
    "Lauritsen",   "Danielsen",   "Mathiesen",   "Andresen",     "Brandt",         "Winther",
    "Toft",        "Ravn",        "Mathiasen",   "Dam",          "Holst",          "Nilsson",
    "Lind",        "Berg",        "Schou",       "Overgaard",    "Kristoffersen",  "Schultz",
    "Klausen",     "Karlsen",     "Paulsen",     "Hermansen",    "Thorsen",        "Koch"};
constexpr std::array<std::string_view, 13> kOtherFirst = {
    "Fatima", "Aisha",     "Leyla", "Yasmin", "Zeynep", "Nour", "Amina",
    "Mariam", "Agnieszka", "Ahmad", "Ali",    "Emre",   "Omar"};
constexpr std::array<std::string_view, 11> kOtherLast = {"Ahmed", "Ali",      "Hussein", "Yilmaz",
                                                         "Khan",  "Mohammad", "Demir",   "Nowak",
                                                         "Kaya",  "Hassan",   "Abdi"};

// Parts of place names, chosen so that no combination is the name of one of the 98 real
// municipalities.
constexpr std::array<std::string_view, 16> kPlaceStart = {
    "Birke", "Bøge", "Aske",  "Hassel", "Linde", "Tjørne", "Kløver", "Rosen",
    "Ravne", "Mose", "Kilde", "Enge",   "Ørne",  "Hjorte", "Stor",   "Sol"};
constexpr std::array<std::string_view, 14> kPlaceEnd = {"lund",  "rup",  "by",   "sted", "løse",
                                                        "bjerg", "høj",  "vang", "mark", "have",
                                                        "holt",  "toft", "bæk",  "strup"};

constexpr std::array<std::string_view, 12> kCompass = {"Nord",    "Syd",      "Øst",    "Vest",
                                                       "Midt",    "Nordvest", "Sydøst", "Nordøst",
                                                       "Sydvest", "Centrum",  "Havnen", "Land"};

static_assert(kPlaceStart.size() * kPlaceEnd.size() == kMunicipalityNameCount);

template <size_t N>
std::string_view Any(const std::array<std::string_view, N>& names, Random& random) {
  return names[static_cast<size_t>(random.Between(0, static_cast<int>(N) - 1))];
}

std::string_view Surname(Random& random) {
  // Weights 1 / sqrt(rank): Nielsen about ten times as common as Koch.
  static const std::array<double, kLast.size()> weights = [] {
    std::array<double, kLast.size()> w{};
    for (size_t i = 0; i < w.size(); ++i) w[i] = 1.0 / std::sqrt(static_cast<double>(i + 1));
    return w;
  }();
  return kLast[random.Pick(weights)];
}

}  // namespace

std::string_view TextOf(Text text) { return kTexts[static_cast<size_t>(text)]; }

std::string PersonName(Random& random) {
  std::string name;
  if (random.Chance(0.08)) {
    name.append(Any(kOtherFirst, random)).append(" ").append(Any(kOtherLast, random));
    return name;
  }
  name.append(random.Chance(0.85) ? Any(kWomen, random) : Any(kMen, random));
  if (random.Chance(0.3)) name.append(" ").append(Any(kMiddle, random));
  name.append(" ").append(Surname(random));
  return name;
}

std::vector<std::string> MunicipalityNames(size_t count, Random& random) {
  std::vector<std::string> all;
  for (const std::string_view start : kPlaceStart) {
    for (const std::string_view end : kPlaceEnd) {
      all.push_back(std::string(start).append(end).append(" Kommune"));
    }
  }
  // Fisher-Yates with our own draws, so that the names follow the seed on every platform.
  for (size_t i = all.size() - 1; i > 0; --i) {
    std::swap(all[i], all[static_cast<size_t>(random.Between(0, static_cast<int>(i)))]);
  }
  all.resize(count);
  return all;
}

std::string DistrictName(size_t index) {
  return std::string("Distrikt ").append(kCompass[index % kCompass.size()]);
}

}  // namespace tilsyn::simulate
