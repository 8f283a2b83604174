// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Administered} from "./Administered.sol";
import {Rfc6962} from "./Rfc6962.sol";

/// @title Anchor
/// @notice Anchors of intra-domain ledger state on the inter-domain chain: a domain's batch roots
/// (or app hashes) keyed by (domain, height, batchId), so a receipt from one domain's CometBFT
/// ledger can be checked by any other domain. A height may carry several batches; `batchId`
/// zero is used for a bare app hash. Anchoring the same key again with the same root is a no-op
/// (retries are safe); with a different root it reverts: an anchor never changes.
/// The domain admin (set at deploy) appoints anchorers per domain.
contract Anchor is Administered {
    struct Entry {
        bytes32 root;
        uint64 treeSize;
        uint64 blockNumber;
        uint64 timestamp;
    }

    error NotAnchorer(bytes32 domain, address caller);
    error InvalidRoot();
    error InvalidTreeSize();
    error AnchorConflict(bytes32 domain, uint64 height, bytes32 batchId, bytes32 anchoredRoot);
    error NotAnchored(bytes32 domain, uint64 height, bytes32 batchId);

    event AnchorerGranted(bytes32 indexed domain, address indexed anchorer);
    event AnchorerRevoked(bytes32 indexed domain, address indexed anchorer);
    event Anchored(
        bytes32 indexed domain,
        uint64 indexed height,
        bytes32 indexed batchId,
        bytes32 root,
        uint64 treeSize,
        address anchorer
    );

    mapping(bytes32 domain => mapping(address account => bool)) public isAnchorer;
    mapping(bytes32 domain => uint64) public latestHeight;
    mapping(bytes32 domain => mapping(uint64 height => mapping(bytes32 batchId => Entry))) private
        entries;

    constructor(address initialAdmin) Administered(initialAdmin) {}

    /// Lets `anchorer` anchor roots of `domain`.
    function grantAnchorer(bytes32 domain, address anchorer) external onlyAdmin {
        if (anchorer == address(0)) revert ZeroAddress();
        isAnchorer[domain][anchorer] = true;
        emit AnchorerGranted(domain, anchorer);
    }

    /// Withdraws `anchorer`'s right to anchor roots of `domain`.
    function revokeAnchorer(bytes32 domain, address anchorer) external onlyAdmin {
        isAnchorer[domain][anchorer] = false;
        emit AnchorerRevoked(domain, anchorer);
    }

    /// Anchors `root` (over `treeSize` leaves) of batch `batchId` at `height` of `domain`.
    function anchor(bytes32 domain, uint64 height, bytes32 batchId, bytes32 root, uint64 treeSize)
        external
    {
        if (!isAnchorer[domain][msg.sender]) revert NotAnchorer(domain, msg.sender);
        if (root == bytes32(0)) revert InvalidRoot();
        if (treeSize == 0) revert InvalidTreeSize();
        Entry storage entry = entries[domain][height][batchId];
        if (entry.root != bytes32(0)) {
            if (entry.root == root && entry.treeSize == treeSize) return;
            revert AnchorConflict(domain, height, batchId, entry.root);
        }
        entry.root = root;
        entry.treeSize = treeSize;
        entry.blockNumber = uint64(block.number);
        entry.timestamp = uint64(block.timestamp);
        if (height > latestHeight[domain]) latestHeight[domain] = height;
        emit Anchored(domain, height, batchId, root, treeSize, msg.sender);
    }

    /// The anchor at (domain, height, batchId); a zero root when none.
    function getAnchor(bytes32 domain, uint64 height, bytes32 batchId)
        external
        view
        returns (bytes32 root, uint64 treeSize, uint64 blockNumber, uint64 timestamp)
    {
        Entry storage entry = entries[domain][height][batchId];
        return (entry.root, entry.treeSize, entry.blockNumber, entry.timestamp);
    }

    /// True when `leafHash` at `leafIndex` is in the anchored batch, by its RFC 6962 audit path.
    /// Reverts with {NotAnchored} when nothing is anchored under the key.
    function verifyInclusion(
        bytes32 domain,
        uint64 height,
        bytes32 batchId,
        bytes32 leafHash,
        uint64 leafIndex,
        bytes32[] calldata auditPath
    ) external view returns (bool) {
        Entry storage entry = entries[domain][height][batchId];
        if (entry.root == bytes32(0)) revert NotAnchored(domain, height, batchId);
        (bool ok, bytes32 root) =
            Rfc6962.rootFromAuditPath(leafHash, leafIndex, entry.treeSize, auditPath);
        return ok && root == entry.root;
    }
}
