package dev.jtorrent;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The packages of core depend on each other as the package table of docs/architecture.md says, and only so: the
 * formats know nothing of connections, swarms or sessions, {@code wire}, {@code storage}, {@code tracker} and {@code dht}
 * know nothing of swarms, connections know nothing of swarms, a swarm knows no trackers, and no two packages depend on
 * each other. Checked on the compiled classes, so a fully qualified name in the code counts as much as an import.
 */
@AnalyzeClasses(packages = "dev.jtorrent", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageBoundariesTest {
    @ArchTest
    static final ArchRule LAYERS = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("bencode").definedBy("dev.jtorrent.bencode..")
            .layer("digest").definedBy("dev.jtorrent.digest..")
            .layer("net").definedBy("dev.jtorrent.net..")
            .layer("budget").definedBy("dev.jtorrent.budget..")
            .layer("metainfo").definedBy("dev.jtorrent.metainfo..")
            .layer("storage").definedBy("dev.jtorrent.storage..")
            .layer("wire").definedBy("dev.jtorrent.wire..")
            .layer("tracker").definedBy("dev.jtorrent.tracker..")
            .layer("dht").definedBy("dev.jtorrent.dht..")
            .layer("mse").definedBy("dev.jtorrent.mse..")
            .layer("peer").definedBy("dev.jtorrent.peer..")
            .layer("swarm").definedBy("dev.jtorrent.swarm..")
            .layer("lsd").definedBy("dev.jtorrent.lsd..")
            .layer("utp").definedBy("dev.jtorrent.utp..")
            .layer("session").definedBy("dev.jtorrent.session..")
            .whereLayer("bencode").mayNotAccessAnyLayer()
            .whereLayer("digest").mayNotAccessAnyLayer()
            .whereLayer("net").mayNotAccessAnyLayer()
            .whereLayer("budget").mayNotAccessAnyLayer()
            .whereLayer("metainfo").mayOnlyAccessLayers("bencode", "digest")
            .whereLayer("storage").mayOnlyAccessLayers("metainfo", "digest")
            .whereLayer("wire").mayOnlyAccessLayers("metainfo", "bencode", "net")
            .whereLayer("tracker").mayOnlyAccessLayers("metainfo", "bencode", "net")
            .whereLayer("dht").mayOnlyAccessLayers("metainfo", "bencode", "net")
            .whereLayer("mse").mayOnlyAccessLayers("metainfo", "digest")
            .whereLayer("peer").mayOnlyAccessLayers("mse", "utp", "wire", "metainfo", "net", "budget")
            .whereLayer("swarm").mayOnlyAccessLayers("peer", "wire", "storage", "metainfo", "digest", "budget")
            .whereLayer("lsd").mayOnlyAccessLayers("metainfo")
            .whereLayer("utp").mayOnlyAccessLayers("net")
            .whereLayer("session").mayOnlyAccessLayers("swarm", "lsd", "peer", "mse", "utp", "tracker", "dht", "storage",
                    "wire",
                    "metainfo", "bencode", "net", "budget");

    @ArchTest
    static final ArchRule NO_CYCLES = slices().matching("dev.jtorrent.(*)..").should().beFreeOfCycles();
}
