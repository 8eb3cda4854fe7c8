/* cistern — libvirt's client library, loaded when a connection to a
 * libvirt host is first opened (virt_load, from lv_open), not linked:
 * with its dependencies (GLib, GnuTLS, libssh, SASL...) it took most of
 * every start of cistern, URI or not. Every function the engine calls
 * is in VIRT_FUNCS and is called through `virt`: a call that is not
 * fails to link, since cistern does not link the library. */
#ifndef CISTERN_LIBVIRT_API_H
#define CISTERN_LIBVIRT_API_H

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "../core/err.h"

#define VIRT_FUNCS(X) \
	X(virConnectClose) X(virConnectFindStoragePoolSources) \
	X(virConnectGetHostname) X(virConnectGetURI) X(virConnectIsAlive) \
	X(virConnectListAllStoragePools) X(virConnectOpenAuth) \
	X(virConnectRef) X(virConnectRegisterCloseCallback) \
	X(virConnectSetKeepAlive) \
	X(virConnectStoragePoolEventDeregisterAny) \
	X(virConnectStoragePoolEventRegisterAny) \
	X(virConnectUnregisterCloseCallback) X(virEventAddTimeout) \
	X(virEventRegisterDefaultImpl) X(virEventRemoveTimeout) \
	X(virEventRunDefaultImpl) X(virFreeError) X(virGetLastError) \
	X(virResetLastError) X(virSaveLastError) X(virSetErrorFunc) \
	X(virStoragePoolBuild) X(virStoragePoolCreate) \
	X(virStoragePoolCreateXML) X(virStoragePoolDefineXML) \
	X(virStoragePoolDelete) X(virStoragePoolDestroy) \
	X(virStoragePoolFree) X(virStoragePoolGetAutostart) \
	X(virStoragePoolGetInfo) X(virStoragePoolGetName) \
	X(virStoragePoolGetUUID) X(virStoragePoolGetXMLDesc) \
	X(virStoragePoolIsPersistent) X(virStoragePoolListAllVolumes) \
	X(virStoragePoolLookupByName) X(virStoragePoolLookupByUUID) \
	X(virStoragePoolRefresh) X(virStoragePoolSetAutostart) \
	X(virStoragePoolUndefine) X(virStorageVolCreateXML) \
	X(virStorageVolCreateXMLFrom) X(virStorageVolDelete) \
	X(virStorageVolDownload) X(virStorageVolFree) \
	X(virStorageVolGetConnect) X(virStorageVolGetInfo) \
	X(virStorageVolGetKey) X(virStorageVolGetName) \
	X(virStorageVolGetXMLDesc) X(virStorageVolLookupByName) \
	X(virStorageVolResize) X(virStorageVolUpload) X(virStorageVolWipe) \
	X(virStorageVolWipePattern) X(virStreamAbort) X(virStreamFinish) \
	X(virStreamFree) X(virStreamNew) X(virStreamRecvAll) \
	X(virStreamSendAll) X(virStreamSparseRecvAll) \
	X(virStreamSparseSendAll)

struct virt_api {
#define VIRT_MEMBER(f) __typeof__(f) *f;
	VIRT_FUNCS(VIRT_MEMBER)
#undef VIRT_MEMBER
	/* libvirt's variable virConnectAuthPtrDefault: its default
	 * credentials prompt */
	virConnectAuthPtr *auth_default;
};

/* The library's functions, once virt_load has succeeded. */
extern struct virt_api virt;

/* Load libvirt.so.0 (once; from any thread). -1 with e set: "cannot
 * load libvirt's client library (libvirt0): ...". */
int virt_load(struct err *e);

#endif
