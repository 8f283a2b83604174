// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Administered} from "./Administered.sol";

/// Kind of a virtual node. `None` marks an unregistered address, so two unregistered
/// addresses never count as "in the same zone" (the prototype compared two empty strings).
enum NodeType {
    None,
    Edge,
    Fog,
    Cloud,
    User
}

/// @title IdentityRegistry
/// @notice Virtual trust zones (each with one or more masters) and the virtual nodes in them.
/// The domain admin is set at deploy time and may hand the role over; zone masters admit, remove
/// and move nodes of their own zone. Every refusal reverts with a custom error.
contract IdentityRegistry is Administered {
    struct Zone {
        bool exists;
        uint32 masterCount;
        uint32 memberCount;
        uint64 version;
        // Bumped on every creation, so masters of a removed incarnation of a zone id lose
        // their role without enumerating them.
        uint64 epoch;
    }

    struct Node {
        NodeType nodeType;
        bytes32 zoneId;
    }

    /// A host's transport identity: its host id and raw 32-byte ed25519 public key.
    struct HostKey {
        bytes32 hostId;
        bytes32 publicKey;
    }

    error NotZoneMaster(bytes32 zoneId, address caller);
    error InvalidZoneId();
    error ZoneExists(bytes32 zoneId);
    error UnknownZone(bytes32 zoneId);
    error ZoneNotEmpty(bytes32 zoneId, uint32 memberCount);
    error AlreadyMaster(bytes32 zoneId, address master);
    error NotMaster(bytes32 zoneId, address account);
    error InvalidNodeType(uint8 nodeType);
    error NodeAlreadyRegistered(address node, bytes32 zoneId);
    error UnknownNode(address node);
    error SameZone(address node, bytes32 zoneId);
    error InvalidHostKey();
    error HostKeyTaken(bytes32 publicKey, address node);

    event ZoneCreated(bytes32 indexed zoneId, address indexed master);
    event ZoneRemoved(bytes32 indexed zoneId);
    event MasterAdded(bytes32 indexed zoneId, address indexed master);
    event MasterRemoved(bytes32 indexed zoneId, address indexed master);
    event NodeJoined(address indexed node, bytes32 indexed zoneId, NodeType nodeType);
    event NodeLeft(address indexed node, bytes32 indexed zoneId);
    event NodeMoved(address indexed node, bytes32 indexed fromZone, bytes32 indexed toZone);
    event HostKeyBound(address indexed node, bytes32 indexed hostId, bytes32 publicKey);

    mapping(bytes32 zoneId => Zone) private zones;
    mapping(bytes32 zoneId => mapping(uint64 epoch => mapping(address account => bool))) private masters;
    mapping(address account => Node) private nodes;
    mapping(address account => HostKey) private hostKeys;
    /// The node a host public key is bound to (zero when none): one key, one node.
    mapping(bytes32 publicKey => address node) public hostKeyOwner;

    constructor(address initialAdmin) Administered(initialAdmin) {}

    /// Creates zone `zoneId` with `master` as its first master.
    function createZone(bytes32 zoneId, address master) external onlyAdmin {
        if (zoneId == bytes32(0)) revert InvalidZoneId();
        if (master == address(0)) revert ZeroAddress();
        Zone storage zone = zones[zoneId];
        if (zone.exists) revert ZoneExists(zoneId);
        zone.exists = true;
        zone.masterCount = 1;
        zone.version += 1;
        zone.epoch += 1;
        masters[zoneId][zone.epoch][master] = true;
        emit ZoneCreated(zoneId, master);
        emit MasterAdded(zoneId, master);
    }

    /// Removes an empty zone and forgets its masters' role in it.
    function removeZone(bytes32 zoneId) external onlyAdmin {
        Zone storage zone = existingZone(zoneId);
        if (zone.memberCount != 0) revert ZoneNotEmpty(zoneId, zone.memberCount);
        zone.exists = false;
        zone.masterCount = 0;
        zone.version += 1;
        emit ZoneRemoved(zoneId);
    }

    /// Adds `master` to the masters of `zoneId` (admin or an existing master of that zone).
    function addMaster(bytes32 zoneId, address master) external {
        Zone storage zone = existingZone(zoneId);
        requireAdminOrMaster(zoneId);
        if (master == address(0)) revert ZeroAddress();
        if (masters[zoneId][zone.epoch][master]) revert AlreadyMaster(zoneId, master);
        masters[zoneId][zone.epoch][master] = true;
        zone.masterCount += 1;
        zone.version += 1;
        emit MasterAdded(zoneId, master);
    }

    /// Removes `master` from the masters of `zoneId` (admin only).
    function removeMaster(bytes32 zoneId, address master) external onlyAdmin {
        Zone storage zone = existingZone(zoneId);
        if (!masters[zoneId][zone.epoch][master]) revert NotMaster(zoneId, master);
        masters[zoneId][zone.epoch][master] = false;
        zone.masterCount -= 1;
        zone.version += 1;
        emit MasterRemoved(zoneId, master);
    }

    /// Admits `node` into `zoneId` as a `nodeType` node (admin or a master of that zone).
    function registerNode(address node, NodeType nodeType, bytes32 zoneId) external {
        Zone storage zone = existingZone(zoneId);
        requireAdminOrMaster(zoneId);
        if (node == address(0)) revert ZeroAddress();
        if (nodeType == NodeType.None) revert InvalidNodeType(uint8(nodeType));
        Node storage entry = nodes[node];
        if (entry.nodeType != NodeType.None) revert NodeAlreadyRegistered(node, entry.zoneId);
        entry.nodeType = nodeType;
        entry.zoneId = zoneId;
        zone.memberCount += 1;
        zone.version += 1;
        emit NodeJoined(node, zoneId, nodeType);
    }

    /// Removes `node` from its zone: the admin, a master of its zone, or the node itself.
    function removeNode(address node) external {
        Node storage entry = nodes[node];
        if (entry.nodeType == NodeType.None) revert UnknownNode(node);
        bytes32 zoneId = entry.zoneId;
        if (msg.sender != node) requireAdminOrMaster(zoneId);
        delete nodes[node];
        delete hostKeyOwner[hostKeys[node].publicKey];
        delete hostKeys[node];
        Zone storage zone = zones[zoneId];
        zone.memberCount -= 1;
        zone.version += 1;
        emit NodeLeft(node, zoneId);
    }

    /// Moves `node` to `toZone`: the admin, or a caller that masters both zones.
    function moveNode(address node, bytes32 toZone) external {
        Node storage entry = nodes[node];
        if (entry.nodeType == NodeType.None) revert UnknownNode(node);
        Zone storage target = existingZone(toZone);
        bytes32 fromZone = entry.zoneId;
        if (fromZone == toZone) revert SameZone(node, toZone);
        requireAdminOrMaster(fromZone);
        requireAdminOrMaster(toZone);
        entry.zoneId = toZone;
        Zone storage source = zones[fromZone];
        source.memberCount -= 1;
        source.version += 1;
        target.memberCount += 1;
        target.version += 1;
        emit NodeMoved(node, fromZone, toZone);
    }

    /// Binds host `hostId` with ed25519 key `publicKey` to the registered `node` (the admin or a
    /// master of its zone), replacing the node's previous binding; removing the node drops it.
    /// Hosts prove `publicKey` in the transport handshake, so this is where a host's transport
    /// identity meets its on-chain account.
    function bindHostKey(address node, bytes32 hostId, bytes32 publicKey) external {
        Node storage entry = nodes[node];
        if (entry.nodeType == NodeType.None) revert UnknownNode(node);
        requireAdminOrMaster(entry.zoneId);
        if (hostId == bytes32(0) || publicKey == bytes32(0)) revert InvalidHostKey();
        address owner = hostKeyOwner[publicKey];
        if (owner != address(0) && owner != node) revert HostKeyTaken(publicKey, owner);
        HostKey storage current = hostKeys[node];
        if (current.publicKey != bytes32(0)) delete hostKeyOwner[current.publicKey];
        current.hostId = hostId;
        current.publicKey = publicKey;
        hostKeyOwner[publicKey] = node;
        emit HostKeyBound(node, hostId, publicKey);
    }

    /// The host id and public key bound to `node` (zeros when none).
    function getHostKey(address node) external view returns (bytes32 hostId, bytes32 publicKey) {
        HostKey storage key = hostKeys[node];
        return (key.hostId, key.publicKey);
    }

    /// The node's type and zone; `NodeType.None` and a zero zone when unregistered.
    function getNode(address node) external view returns (NodeType nodeType, bytes32 zoneId) {
        Node storage entry = nodes[node];
        return (entry.nodeType, entry.zoneId);
    }

    /// The zone's state: whether it exists, its master and member counts, its change counter.
    function getZone(bytes32 zoneId)
        external
        view
        returns (bool exists, uint32 masterCount, uint32 memberCount, uint64 version)
    {
        Zone storage zone = zones[zoneId];
        return (zone.exists, zone.masterCount, zone.memberCount, zone.version);
    }

    /// True when `zoneId` exists.
    function zoneExists(bytes32 zoneId) external view returns (bool) {
        return zones[zoneId].exists;
    }

    /// True when `account` is a master of the existing zone `zoneId`.
    function isMaster(bytes32 zoneId, address account) public view returns (bool) {
        Zone storage zone = zones[zoneId];
        return zone.exists && masters[zoneId][zone.epoch][account];
    }

    /// True when both addresses are registered nodes of the same zone.
    function sameZone(address a, address b) external view returns (bool) {
        Node storage left = nodes[a];
        Node storage right = nodes[b];
        return left.nodeType != NodeType.None && right.nodeType != NodeType.None
            && left.zoneId == right.zoneId;
    }

    function existingZone(bytes32 zoneId) private view returns (Zone storage zone) {
        zone = zones[zoneId];
        if (!zone.exists) revert UnknownZone(zoneId);
    }

    function requireAdminOrMaster(bytes32 zoneId) private view {
        if (msg.sender != admin && !isMaster(zoneId, msg.sender)) {
            revert NotZoneMaster(zoneId, msg.sender);
        }
    }
}
