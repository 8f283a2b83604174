// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Rfc6962
/// @notice Merkle inclusion proofs in the RFC 6962 / RFC 9162 tree (SHA-256, leaf prefix 0x00,
/// node prefix 0x01), the tree CometBFT's crypto/merkle and vigil's batch receipts use.
/// OpenZeppelin's MerkleProof (sorted-pair keccak) cannot check these proofs: order matters and
/// the proof needs the leaf index and tree size.
library Rfc6962 {
    /// The root implied by an audit path (RFC 9162 §2.1.3.2); `ok` is false for a malformed proof.
    function rootFromAuditPath(
        bytes32 leafHash,
        uint256 leafIndex,
        uint256 treeSize,
        bytes32[] calldata auditPath
    ) internal pure returns (bool ok, bytes32 root) {
        if (leafIndex >= treeSize) return (false, bytes32(0));
        uint256 fn = leafIndex;
        uint256 sn = treeSize - 1;
        bytes32 r = leafHash;
        for (uint256 i = 0; i < auditPath.length; i++) {
            if (sn == 0) return (false, bytes32(0));
            bytes32 p = auditPath[i];
            if (fn & 1 == 1 || fn == sn) {
                r = sha256(abi.encodePacked(bytes1(0x01), p, r));
                while (fn & 1 == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = sha256(abi.encodePacked(bytes1(0x01), r, p));
            }
            fn >>= 1;
            sn >>= 1;
        }
        if (sn != 0) return (false, bytes32(0));
        return (true, r);
    }
}
