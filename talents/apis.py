"""The resident's own talent offers in the API (below ``/api/me/``): the same services and
selectors as the website's page, always limited to the requester."""

from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from welfare_net.http import requester

from . import selectors, services
from .filters import TalentOfferFilter
from .models import TalentOffer
from .serializers import MyTalentOfferCreateSerializer, MyTalentOfferSerializer


class TalentOfferListApi(generics.ListAPIView[TalentOffer]):
    """The talents the resident offered, newest first."""

    permission_classes = [IsAuthenticated]
    serializer_class = MyTalentOfferSerializer
    filterset_class = TalentOfferFilter
    ordering_fields = ["created_at"]

    def get_queryset(self) -> QuerySet[TalentOffer]:
        return selectors.talent_offers_of(resident=requester(self.request))


class TalentOfferCreateApi(APIView):
    """Offer a skill to neighbours, as on the website (logging in is enough). District
    staff attach the offer to a talent-sharing project."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=MyTalentOfferCreateSerializer, responses={201: MyTalentOfferSerializer})
    def post(self, request: Request) -> HttpResponse:
        user = requester(request)
        context = {"neighbourhoods": selectors.neighbourhoods_for_offer(resident=user)}
        given = MyTalentOfferCreateSerializer(data=request.data, context=context)
        given.is_valid(raise_exception=True)
        offer = services.talent_offer_create(resident=user, **given.validated_data)
        shown = selectors.talent_offers_of(resident=user).get(pk=offer.pk)
        return Response(MyTalentOfferSerializer(shown).data, status=201)


class TalentOfferDetailApi(generics.RetrieveAPIView[TalentOffer]):
    permission_classes = [IsAuthenticated]
    serializer_class = MyTalentOfferSerializer

    def get_queryset(self) -> QuerySet[TalentOffer]:
        return selectors.talent_offers_of(resident=requester(self.request))


class TalentOfferWithdrawApi(APIView):
    """Take an offer back: it no longer takes part in its project (the project stays named
    as history). Withdrawing twice changes nothing."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=MyTalentOfferSerializer)
    def post(self, request: Request, pk: int) -> HttpResponse:
        offers = selectors.talent_offers_of(resident=requester(request))
        offer = generics.get_object_or_404(offers, pk=pk)
        services.talent_offer_withdraw(offer=offer)
        return Response(MyTalentOfferSerializer(offers.get(pk=pk)).data)
