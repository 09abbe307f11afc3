package dev.jtorrent.dht;

import dev.jtorrent.bencode.BString;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class LookupTest {
    private final Random random = new Random(6);
    private final NodeId target = NodeId.random(random);
    private int next;

    private List<Contact> contacts(int n) {
        List<Contact> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Contact(NodeId.random(random), SimulatedNetwork.address(next++)));
        }
        return out;
    }

    @Test
    void keepsAtMostAlphaQueriesInFlight() {
        Lookup lookup = new Lookup(target, Family.IPV4, true);
        lookup.addCandidates(contacts(50));
        assertThat(lookup.next(100)).hasSize(Lookup.ALPHA);
        assertThat(lookup.next(100)).isEmpty();
    }

    @Test
    void asksTheClosestFirstAndEndsWhenTheKClosestAnswered() {
        Lookup lookup = new Lookup(target, Family.IPV4, true);
        List<Contact> all = contacts(30);
        lookup.addCandidates(all);
        List<Contact> closest = new ArrayList<>(all);
        closest.sort((a, b) -> target.compareDistance(a.id(), b.id()));
        List<Contact> asked = new ArrayList<>();
        while (!lookup.done()) {
            List<Contact> now = lookup.next(100);
            asked.addAll(now);
            for (Contact c : now) {
                lookup.answered(c.address(), Optional.of(BString.of("t" + c.address().getPort())), List.of());
            }
        }
        assertThat(asked).containsExactlyInAnyOrderElementsOf(closest.subList(0, RoutingTable.K));
        assertThat(lookup.closestWithTokens()).extracting(Lookup.Announceable::contact)
                .containsExactlyElementsOf(closest.subList(0, RoutingTable.K));
    }

    @Test
    void aFailedCandidateMakesRoomForTheNextClosest() {
        Lookup lookup = new Lookup(target, Family.IPV4, true);
        lookup.addCandidates(contacts(RoutingTable.K + 1));
        int asked = 0;
        while (!lookup.done()) {
            for (Contact c : lookup.next(100)) {
                asked++;
                if (asked == 1) {
                    lookup.failed(c.address());
                } else {
                    lookup.answered(c.address(), Optional.empty(), List.of());
                }
            }
        }
        assertThat(asked).isEqualTo(RoutingTable.K + 1);
    }

    @Test
    void tenThousandCandidatesKeepOnlyTheClosestBounded() {
        Lookup lookup = new Lookup(target, Family.IPV4, true);
        for (int i = 0; i < 10_000 / KrpcCodec.MAX_NODES; i++) {
            lookup.addCandidates(contacts(KrpcCodec.MAX_NODES));
        }
        assertThat(lookup.candidates()).isEqualTo(Lookup.MAX_CANDIDATES);
    }

    @Test
    void stopsAfterMaxQueriesEvenWhenAnswersKeepComingCloser() {
        Lookup lookup = new Lookup(target, Family.IPV4, true);
        lookup.addCandidates(contacts(RoutingTable.K));
        int prefix = 0;
        while (!lookup.done()) {
            for (Contact c : lookup.next(100)) {
                // Every answer names nodes closer than any before: an endless lookup if unbounded.
                prefix++;
                List<Contact> closer = new ArrayList<>();
                for (int i = 0; i < RoutingTable.K; i++) {
                    closer.add(new Contact(target.flip(NodeId.BITS - 1).randomWithPrefix(prefix, random),
                            SimulatedNetwork.address(next++)));
                }
                lookup.answered(c.address(), Optional.empty(), closer);
            }
        }
        assertThat(lookup.queries()).isEqualTo(Lookup.MAX_QUERIES);
    }

    @Test
    void reportsEachPeerOnceAndAtMostMaxPeers() {
        Lookup lookup = new Lookup(target, Family.IPV4, true);
        List<InetSocketAddress> peers = new ArrayList<>();
        for (int i = 0; i < Lookup.MAX_PEERS + 500; i++) {
            peers.add(SimulatedNetwork.address(i));
        }
        assertThat(lookup.newPeers(peers.subList(0, 100))).hasSize(100);
        assertThat(lookup.newPeers(peers.subList(0, 100))).isEmpty();
        assertThat(lookup.newPeers(peers)).hasSize(Lookup.MAX_PEERS - 100);
    }

    @Test
    void takesOneCandidatePerSubnetUnlessToldOtherwise() throws Exception {
        List<Contact> sameSlash24 = List.of(
                new Contact(NodeId.random(random), new InetSocketAddress(InetAddress.getByName("20.1.2.3"), 1)),
                new Contact(NodeId.random(random), new InetSocketAddress(InetAddress.getByName("20.1.2.4"), 1)));
        Lookup strict = new Lookup(target, Family.IPV4, true);
        strict.addCandidates(sameSlash24);
        assertThat(strict.candidates()).isEqualTo(1);
        Lookup loose = new Lookup(target, Family.IPV4, false);
        loose.addCandidates(sameSlash24);
        assertThat(loose.candidates()).isEqualTo(2);
    }

    @Test
    void ignoresCandidatesOfTheOtherFamilyAndDuplicates() {
        Lookup lookup = new Lookup(target, Family.IPV4, true);
        Contact c = contacts(1).getFirst();
        lookup.addCandidates(List.of(c, c, new Contact(c.id(), SimulatedNetwork.address(99_999)),
                new Contact(NodeId.random(random), SimulatedNetwork.address6(1))));
        assertThat(lookup.candidates()).isEqualTo(1);
    }
}
