// `sizebudget why` as text: the item, what it retains, then each chain one step a line.
#include <fmt/format.h>

#include "sizebudget/demangle.hpp"
#include "sizebudget/identity.hpp"
#include "sizebudget/size_format.hpp"
#include "sizebudget/why.hpp"

namespace sizebudget {

std::vector<std::string> chain_lines(const ReferenceGraph& graph, const std::vector<WhyStep>& chain) {
    std::vector<std::string> lines;
    if (chain.empty()) return lines;
    const ReferenceNode& first = graph.nodes[chain.front().node];
    lines.push_back(fmt::format("{} ({})", portable_path(first.path), first.root_reason));
    for (std::size_t i = 0; i + 1 < chain.size(); ++i) {
        const WhyStep& s = chain[i];
        const std::string symbol = s.symbol.empty()            ? std::string(s.to_section.empty() ? "?" : s.to_section)
                                   : may_demangle(s.symbol) ? demangle(s.symbol)
                                                            : std::string(s.symbol);
        // Relocations say which sections: the reference is from code or data the link kept.
        const std::string evidence = s.evidence == Evidence::relocations
                                         ? fmt::format("relocation in {} to {}", s.from_section, s.to_section)
                                         : std::string(evidence_name(s.evidence));
        lines.push_back(fmt::format("references {} in {}  [{}]", symbol, portable_path(graph.nodes[chain[i + 1].node].path),
                                    evidence));
    }
    return lines;
}

std::string why_text(const ReferenceGraph& graph, const WhyAnswer& a) {
    std::string out;
    auto line = [&](const std::string& text) {
        out += text;
        out += '\n';
    };
    if (!a.not_linked.empty()) {
        line(a.not_linked);
        return out;
    }
    std::string named;
    for (std::size_t i = 0; i < a.matches.size(); ++i) named += fmt::format("{}{}", i ? ", " : "", a.matches[i]);
    line(fmt::format("{} {} ({}): {} of its own; without it the link would lose {} (retained)", a.kind, named,
                     a.nodes.size() == 1 ? portable_path(graph.nodes[a.nodes.front()].path)
                                         : fmt::format("in {} files", a.nodes.size()),
                     human_size(a.bytes), human_size(a.retained)));
    for (std::size_t c = 0; c < a.chains.size(); ++c) {
        const std::vector<WhyStep>& chain = a.chains[c];
        out += '\n';
        const std::vector<std::string> steps = chain_lines(graph, chain);
        for (std::size_t i = 0; i < steps.size(); ++i)
            line(i == 0 ? fmt::format("{}. {}", c + 1, steps[i]) : "   " + steps[i]);
    }
    for (const std::string& note : a.notes) {
        out += '\n';
        line("note: " + note);
    }
    return out;
}

}  // namespace sizebudget
